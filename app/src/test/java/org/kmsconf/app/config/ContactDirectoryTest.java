package org.kmsconf.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContactDirectoryTest {

    @Test
    void parsesContactsCommentsAndFocusWildcards() {
        ContactDirectory d = ContactDirectory.parse(List.of(
                "# who listens where",
                "sip:alice@operator 127.0.0.1:5071 tcp",
                "",
                "sip:*.conference1@operator 127.0.0.1:5060   # every focus of the conference system"), "dir");
        assertThat(d.lookup("sip:alice@operator")).get().hasToString("sip:alice@operator at 127.0.0.1:5071;transport=tcp");
        assertThat(d.lookup("sip:focus7.conference1@operator")).get()
                .extracting(ContactDirectory.Contact::port, ContactDirectory.Contact::transport).containsExactly(5060, "udp");
        assertThat(d.lookup("sip:bob@operator")).isEmpty();
    }

    @Test
    void namesTheLineOfABadEntry() {
        assertThatThrownBy(() -> ContactDirectory.parse(List.of("sip:alice@operator", ""), "dir.txt"))
                .hasMessageStartingWith("dir.txt:1:");
        assertThatThrownBy(() -> ContactDirectory.parse(List.of("", "sip:a@b 127.0.0.1:x"), "dir.txt"))
                .hasMessageStartingWith("dir.txt:2:");
        assertThatThrownBy(() -> ContactDirectory.parse(List.of("sip:a@b 127.0.0.1:1 sctp"), "d"))
                .hasMessageContaining("udp or tcp");
    }
}
