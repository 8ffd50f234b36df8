package org.kmsconf.control.confinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conference-info documents (RFC 4575 §5) written and read on the JDK's XML, and the parser's refusals. */
class ConferenceInfoXmlTest {
    static final String FOCUS = "sip:focus7.conference1@operator";

    static ConferenceInfo sample() {
        User alice = new User("sip:alice@operator", State.FULL, Optional.of("Alice"), List.of("chair"),
                List.of(new Endpoint("sip:alice@192.0.2.1", State.FULL, Optional.empty(),
                        Optional.of(EndpointStatus.CONNECTED), Optional.of(JoiningMethod.DIALED_IN), Optional.empty(),
                        List.of(Media.audio("1", 0xDEADBEEFL)))));
        User bob = new User("sip:bob@operator", State.FULL, Optional.empty(), List.of("participant"),
                List.of(new Endpoint("sip:bob@192.0.2.2", State.FULL, Optional.empty(),
                        Optional.of(EndpointStatus.DISCONNECTED), Optional.of(JoiningMethod.DIALED_OUT),
                        Optional.of(DisconnectionMethod.BOOTED), List.of())));
        return new ConferenceInfo(FOCUS, State.FULL, 1,
                Optional.of(new ConferenceDescription(Optional.of("Weekly"), Optional.of("Ops <&> review"),
                        List.of(new UriEntry(FOCUS, Optional.empty(), Optional.of("participation"))),
                        Optional.of(10L), List.of(new AvailableMedia("1", Optional.empty(), "audio",
                                Optional.of(MediaStatus.SENDRECV))))),
                Optional.of(new HostInfo(Optional.of("Alice"), List.of(UriEntry.of("sip:alice@operator")))),
                Optional.of(new ConferenceState(Optional.of(1L), Optional.of(true), Optional.of(false))),
                List.of(alice, bob));
    }

    @Test
    void aDocumentRoundTripsAndSrcIdIsDecimal() throws Exception {
        byte[] xml = ConferenceInfoXml.write(sample());
        String s = new String(xml, StandardCharsets.UTF_8);
        assertThat(s).contains("<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"",
                "entity=\"" + FOCUS + "\"", "state=\"full\"", "version=\"1\"", "<src-id>3735928559</src-id>",
                "<joining-method>dialed-in</joining-method>", "<disconnection-method>booted</disconnection-method>",
                "Ops &lt;&amp;&gt; review");
        assertThat(s.indexOf("<conference-description>")).isLessThan(s.indexOf("<host-info>"));
        assertThat(s.indexOf("<host-info>")).isLessThan(s.indexOf("<conference-state>"));
        assertThat(s.indexOf("<conference-state>")).isLessThan(s.indexOf("<users>"));
        assertThat(ConferenceInfoXml.parse(xml)).isEqualTo(sample());
    }

    /** An RFC 4575 §6-style document with extensions from another namespace and elements we do not model. */
    @Test
    void aForeignDocumentWithExtensionsIsReadForWhatWeModel() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" xmlns:x="urn:example:ext"
                    entity="sip:conf233@example.com" state="full" version="1">
                  <conference-description>
                    <subject>Agenda: This month's goals</subject>
                    <service-uris><entry><uri>http://sharepoint/salesgroup/</uri><purpose>web-page</purpose></entry>
                    </service-uris>
                  </conference-description>
                  <host-info><web-page>http://www.example.com/</web-page></host-info>
                  <conference-state><user-count>33</user-count><active>true</active></conference-state>
                  <users>
                    <user entity="sip:bob@example.com" state="full">
                      <display-text>Bob Hoskins</display-text>
                      <x:mood>happy</x:mood>
                      <endpoint entity="sip:bob@pc33.example.com">
                        <display-text>Bob's Laptop</display-text>
                        <status>disconnected</status>
                        <disconnection-method>departed</disconnection-method>
                        <disconnection-info><when>2005-03-04T20:00:00Z</when></disconnection-info>
                        <media id="1"><type>video</type><label>10235</label><src-id>432424</src-id></media>
                      </endpoint>
                    </user>
                  </users>
                </conference-info>
                """;
        ConferenceInfo c = ConferenceInfoXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(c.entity()).isEqualTo("sip:conf233@example.com");
        assertThat(c.conferenceState().orElseThrow().userCount()).hasValue(33L);
        Endpoint e = c.users().get(0).endpoints().get(0);
        assertThat(e.state()).as("default state").isEqualTo(State.FULL);
        assertThat(e.disconnectionMethod()).hasValue(DisconnectionMethod.DEPARTED);
        assertThat(e.media().get(0).srcId()).hasValue(432424L);
        assertThat(e.media().get(0).label()).hasValue("10235");
    }

    @Test
    void anXxeDocumentIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-KEK");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE conference-info [<!ENTITY xxe SYSTEM \""
                + secret.toUri() + "\">]>\n<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\""
                + " entity=\"sip:f@o\" state=\"full\" version=\"1\"><conference-description><subject>&xxe;"
                + "</subject></conference-description></conference-info>";
        assertThatThrownBy(() -> ConferenceInfoXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ConferenceInfoException.class).hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void anExternalDtdIsNeverFetched() throws Exception {
        try (ServerSocket trap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            trap.setSoTimeout(300);
            String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE conference-info SYSTEM \"http://127.0.0.1:"
                    + trap.getLocalPort() + "/x.dtd\">\n<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\""
                    + " entity=\"sip:f@o\" state=\"full\" version=\"1\"/>";
            assertThatThrownBy(() -> ConferenceInfoXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(ConferenceInfoException.class);
            assertThatThrownBy(trap::accept).as("nobody connected").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void entityExpansionIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";")
                    .repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = "<?xml version=\"1.0\"?>" + dtd + "<conference-info xmlns=\"" + ConferenceInfo.NAMESPACE
                + "\" entity=\"&lol9;\" state=\"full\" version=\"1\"/>";
        assertThatThrownBy(() -> ConferenceInfoXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ConferenceInfoException.class);
    }

    @Test
    void whatWeModelIsChecked() {
        String head = "<conference-info xmlns=\"" + ConferenceInfo.NAMESPACE + "\" ";
        for (String bad : new String[] {
            "<conference-info xmlns=\"urn:other\" entity=\"sip:f@o\" state=\"full\" version=\"1\"/>",
            head + "state=\"full\" version=\"1\"/>",                                  // no entity
            head + "entity=\"sip:f@o\" state=\"full\"/>",                             // no version
            head + "entity=\"sip:f@o\" state=\"fuzzy\" version=\"1\"/>",              // unknown state
            head + "entity=\"sip:f@o\" state=\"full\" version=\"-1\"/>",
            head + "entity=\"sip:f@o\" state=\"full\" version=\"4294967296\"/>",     // above xs:unsignedInt
            head + "entity=\"sip:f@o\" state=\"full\" version=\"1\"><users><user entity=\"sip:b@o\">"
                    + "<endpoint entity=\"sip:b@h\"><status>dancing</status></endpoint></user></users>"
                    + "</conference-info>",
            head + "entity=\"sip:f@o\" state=\"full\" version=\"1\"><users><user entity=\"sip:b@o\">"
                    + "<endpoint entity=\"sip:b@h\"><media id=\"1\"><src-id>0x1234</src-id></media></endpoint>"
                    + "</user></users></conference-info>",
            head + "entity=\"sip:f@o\" state=\"full\" version=\"1\"><users><user entity=\"sip:b@o\">"
                    + "<endpoint entity=\"sip:b@h\"><media><src-id>1</src-id></media></endpoint>"
                    + "</user></users></conference-info>",                             // media without id
            head + "entity=\"sip:f@o\" state=\"full\" version=\"1\"><conference-state><user-count>1</user-count>"
                    + "<user-count>2</user-count></conference-state></conference-info>",
            head + "entity=\"sip:f@o\" state=\"full\" version=\"1\">",               // not well-formed
            "not xml at all",
        }) {
            assertThatThrownBy(() -> ConferenceInfoXml.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(ConferenceInfoException.class);
        }
        byte[] huge = new byte[ConferenceInfoXml.MAX_BYTES + 1];
        assertThatThrownBy(() -> ConferenceInfoXml.parse(huge)).isInstanceOf(ConferenceInfoException.class);
    }
}
