package org.kmsconf.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.Contact;
import org.kmsconf.sip.Directory;

class DirectoryFileTest {

    @Test
    void parsesContactsCommentsAndFocusWildcards() {
        Directory d = DirectoryFile.parse(List.of(
                "# who listens where",
                "sip:alice@operator 127.0.0.1:5071 tcp",
                "",
                "sip:*.conference1@operator 127.0.0.1:5060   # every focus of the conference system"), "dir");
        assertThat(d.lookup("sip:alice@operator")).contains(new Contact("127.0.0.1", 5071, "tcp"));
        assertThat(d.lookup("sip:focus7.conference1@operator")).contains(new Contact("127.0.0.1", 5060, "udp"));
        assertThat(d.lookup("sip:bob@operator")).isEmpty();
    }

    @Test
    void namesTheLineOfABadEntry() {
        assertThatThrownBy(() -> DirectoryFile.parse(List.of("sip:alice@operator", ""), "dir.txt"))
                .hasMessageStartingWith("dir.txt:1:");
        assertThatThrownBy(() -> DirectoryFile.parse(List.of("", "sip:a@b 127.0.0.1:x"), "dir.txt"))
                .hasMessageStartingWith("dir.txt:2:");
        assertThatThrownBy(() -> DirectoryFile.parse(List.of("sip:a@b 127.0.0.1:1 sctp"), "d"))
                .hasMessageContaining("udp or tcp");
    }
}
