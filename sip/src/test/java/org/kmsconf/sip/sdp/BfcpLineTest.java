package org.kmsconf.sip.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The BFCP m-line of RFC 8856 next to the audio m-line, under the SDP's one a=key-mgmt. */
class BfcpLineTest {
    private static final byte[] MIKEY = {1, 14, 2, 3};
    private static final InetSocketAddress MEDIA = new InetSocketAddress("127.0.0.1", 40002);

    @Test
    void theFocusLineNamesServerConferenceUserAndTheAudioFloor() {
        BfcpLine line = BfcpLine.server(new InetSocketAddress("127.0.0.1", 5071), 4_000_000_000L, 7, 1);
        String sdp = KeyMgmtSdp.build("focus1", MEDIA, MIKEY, Optional.of(line));
        String bfcp = sdp.substring(sdp.indexOf("m=application"));
        assertThat(bfcp).startsWith("m=application 5071 TCP/TLS/BFCP *\r\n").contains("a=setup:passive\r\n",
                "a=connection:new\r\n", "a=floorctrl:s-only\r\n", "a=confid:4000000000\r\n", "a=userid:7\r\n",
                "a=floorid:1 mstrm:1\r\n");
        assertThat(sdp.substring(sdp.indexOf("m=audio"), sdp.indexOf("m=application"))).contains("a=label:1\r\n");
        assertThat(sdp.indexOf("a=key-mgmt")).isLessThan(sdp.indexOf("m=audio")); // one, at session level
        assertThat(BfcpLine.read(sdp)).contains(line);
        assertThat(KeyMgmtSdp.readKeyMgmt(sdp)).hasValueSatisfying(m -> assertThat(m).isEqualTo(MIKEY));
        assertThat(KeyMgmtSdp.mediaAddress(sdp)).contains(MEDIA);
    }

    @Test
    void theParticipantConnectsFromTheDiscardPortAsTheClient() {
        String sdp = KeyMgmtSdp.build("bob", MEDIA, MIKEY, Optional.of(BfcpLine.client()));
        assertThat(sdp.substring(sdp.indexOf("m=application"))).startsWith("m=application 9 TCP/TLS/BFCP *\r\n")
                .contains("a=setup:active\r\n", "a=connection:new\r\n", "a=floorctrl:c-only\r\n")
                .doesNotContain("confid", "userid");
        assertThat(BfcpLine.read(sdp)).contains(BfcpLine.client());
    }

    @Test
    void aRefusedLineHasPortZeroAndAnSdpWithoutTheLineHasNone() {
        String refused = KeyMgmtSdp.build("focus1", MEDIA, MIKEY, Optional.of(BfcpLine.refused()));
        assertThat(refused).contains("m=application 0 TCP/TLS/BFCP *");
        assertThat(BfcpLine.read(refused)).hasValueSatisfying(l -> assertThat(l.accepted()).isFalse());
        assertThat(BfcpLine.read(KeyMgmtSdp.build("bob", MEDIA, MIKEY))).isEmpty();
    }

    @Test
    void aServerLineWithAnIdThatIsNotAnIntegerIsUnreadable() {
        String sdp = KeyMgmtSdp.build("focus1", MEDIA, MIKEY,
                Optional.of(BfcpLine.server(new InetSocketAddress("127.0.0.1", 5071), 9, 7, 1)));
        assertThat(BfcpLine.read(sdp.replace("a=userid:7", "a=userid:bob"))).isEmpty();
        assertThat(BfcpLine.read(sdp.replace("a=confid:9", "a=confid:-1"))).isEmpty();
    }
}
