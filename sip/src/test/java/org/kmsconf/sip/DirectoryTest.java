package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DirectoryTest {
    @Test
    void exactEntriesWinOverTheFocusWildcard() {
        Directory d = new Directory()
                .put("sip:factory.conference1@operator", Contact.parse("127.0.0.1:5070;transport=tcp"))
                .put("sip:*.conference1@operator", Contact.parse("127.0.0.1:5071"));
        assertThat(d.require("<SIP:Factory.conference1@operator;transport=udp>").port()).isEqualTo(5070);
        assertThat(d.require("sip:focus7.conference1@operator")).isEqualTo(new Contact("127.0.0.1", 5071, "udp"));
        assertThat(d.lookup("sip:focus7.conference2@operator")).isEmpty();
    }

    @Test
    void identitiesAreNormalisedAsInMikeyIdr() {
        assertThat(Directory.normalise("<sip:Alice@Operator;user=phone>")).isEqualTo("sip:alice@operator");
        assertThat(Directory.normalise("bob@operator")).isEqualTo("sip:bob@operator");
    }

    @Test
    void badContactsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> Contact.parse("localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Contact.parse("127.0.0.1:5060;transport=sctp")).hasMessageContaining("udp or tcp");
        assertThatThrownBy(() -> new Directory().require("sip:nobody@operator")).hasMessageContaining("nobody");
    }
}
