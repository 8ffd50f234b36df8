package org.kmsconf.app.ue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UeScriptTest {

    @Test
    void parsesEveryVerbAndSubstitutesTheCreatedFocus() {
        UeScript s = UeScript.parse(List.of(
                "# alice's day",
                "create sip:factory.conference1@operator sip:bob@operator",
                "join $focus",
                "invite $focus sip:carol@operator   # flow 4",
                "refer sip:dave@operator $focus",
                "update $focus sip:bob@operator sip:erin@operator",
                "wait 1.5",
                "leave $focus"), "alice.txt");
        assertThat(s.actions()).extracting(UeScript.Action::verb).containsExactly(UeScript.Verb.CREATE,
                UeScript.Verb.JOIN, UeScript.Verb.INVITE, UeScript.Verb.REFER, UeScript.Verb.UPDATE,
                UeScript.Verb.WAIT, UeScript.Verb.LEAVE);
        assertThat(s.actions().get(3).resolved("sip:focus1.conference1@operator"))
                .containsExactly("sip:dave@operator", "sip:focus1.conference1@operator");
        assertThatThrownBy(() -> s.actions().get(1).resolved(null)).hasMessageContaining("alice.txt:3");
    }

    @Test
    void refusesBadLinesWithTheirPlace() {
        assertThatThrownBy(() -> UeScript.parse(List.of("dance sip:a@b"), "s")).hasMessageStartingWith("s:1:")
                .hasMessageContaining("unknown action");
        assertThatThrownBy(() -> UeScript.parse(List.of("", "invite sip:f@x"), "s")).hasMessageStartingWith("s:2:");
        assertThatThrownBy(() -> UeScript.parse(List.of("join bob"), "s")).hasMessageContaining("not a sip: URI");
        assertThatThrownBy(() -> UeScript.parse(List.of("wait soon"), "s")).hasMessageContaining("seconds");
    }
}
