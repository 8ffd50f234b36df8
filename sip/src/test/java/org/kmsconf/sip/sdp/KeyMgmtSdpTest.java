package org.kmsconf.sip.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyMgmtSdpTest {
    private static final byte[] MIKEY = new byte[200];

    static {
        for (int i = 0; i < MIKEY.length; i++) {
            MIKEY[i] = (byte) (i * 37 + 251); // base64 with '+', '/' and padding
        }
    }

    @Test
    void buildThenReadRoundTripsTheMessageAndMediaAddress() {
        String sdp = KeyMgmtSdp.build("alice@operator", new InetSocketAddress("127.0.0.1", 40002), MIKEY);
        assertThat(sdp).contains("a=key-mgmt:mikey " + Base64.getEncoder().encodeToString(MIKEY))
                .contains("m=audio 40002 RTP/SAVP 0").doesNotContain("null");
        assertThat(sdp).containsPattern("o=alice_operator \\d+ 1 IN IP4 127.0.0.1");
        assertThat(KeyMgmtSdp.readKeyMgmt(sdp)).hasValueSatisfying(b -> assertThat(b).isEqualTo(MIKEY));
        assertThat(KeyMgmtSdp.mediaAddress(sdp)).contains(new InetSocketAddress("127.0.0.1", 40002));
    }

    @Test
    void everyMediaDescriptionWeBuildSaysRtcpMux() {
        for (byte[] mikey : new byte[][] {MIKEY, null}) {
            String sdp = KeyMgmtSdp.build("focus1@operator", new InetSocketAddress("127.0.0.1", 0), mikey);
            // media level, after the m= line (RFC 5761 §5.1.1)
            assertThat(sdp.substring(sdp.indexOf("m=audio"))).contains("\r\na=rtcp-mux\r\n");
            assertThat(KeyMgmtSdp.rtcpMux(sdp)).isTrue();
        }
    }

    @Test
    void rtcpMuxIsReadFromTheMediaDescriptionAndDoesNotDisturbTheRest() {
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";
        String key = Base64.getEncoder().encodeToString(new byte[] {4, 5, 6});
        String muxed = base + "m=audio 5004 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n"
                + "a=key-mgmt:mikey " + key + "\r\n";
        assertThat(KeyMgmtSdp.rtcpMux(muxed)).isTrue();
        assertThat(KeyMgmtSdp.readKeyMgmt(muxed)).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5, 6));
        assertThat(KeyMgmtSdp.mediaAddress(muxed)).contains(new InetSocketAddress("127.0.0.1", 5004));
        assertThat(KeyMgmtSdp.rtcpMux(base + "m=audio 5004 RTP/SAVP 0\r\n")).isFalse();
        // session level is not where RFC 5761 puts it
        assertThat(KeyMgmtSdp.rtcpMux(base + "a=rtcp-mux\r\nm=audio 5004 RTP/SAVP 0\r\n")).isFalse();
        assertThat(KeyMgmtSdp.rtcpMux(base)).isFalse();
        assertThat(KeyMgmtSdp.rtcpMux("this is not SDP")).isFalse();
    }

    @Test
    void mediaLevelOverridesSessionLevel() {
        String media = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        String session = Base64.getEncoder().encodeToString(new byte[] {9, 9});
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "a=key-mgmt:mikey " + session + "\r\n"
                + "m=audio 5004 RTP/SAVP 0\r\na=key-mgmt:mikey " + media + "\r\n";
        assertThat(KeyMgmtSdp.readKeyMgmt(sdp)).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }

    @Test
    void otherProtocolsGarbageAndAbsenceGiveNothing() {
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 5004 RTP/SAVP 0\r\n";
        assertThat(KeyMgmtSdp.readKeyMgmt(base)).isEmpty();
        assertThat(KeyMgmtSdp.readKeyMgmt(base + "a=key-mgmt:other AQID\r\n")).isEmpty();
        assertThat(KeyMgmtSdp.readKeyMgmt(base + "a=key-mgmt:mikey !!not-base64!!\r\n")).isEmpty();
        assertThat(KeyMgmtSdp.readKeyMgmt("this is not SDP")).isEmpty();
    }

    @Test
    void theTracesDataTypeScanAgreesWithTheParser() {
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";
        String init = Base64.getEncoder().encodeToString(new byte[] {1, 14, 0, 7});
        String resp = Base64.getEncoder().encodeToString(new byte[] {1, 15, 0, 7, 9});
        String[] sdps = {
            KeyMgmtSdp.build("alice@operator", new InetSocketAddress("127.0.0.1", 40002), MIKEY),
            KeyMgmtSdp.build("alice@operator", new InetSocketAddress("127.0.0.1", 40002), null),
            base + "a=key-mgmt:mikey " + init + "\r\nm=audio 5004 RTP/SAVP 0\r\n",
            base + "a=key-mgmt:mikey " + init + "\r\nm=audio 5004 RTP/SAVP 0\r\na=key-mgmt:mikey " + resp + "\r\n",
            base + "m=audio 5004 RTP/SAVP 0\r\nm=audio 5006 RTP/SAVP 0\r\na=key-mgmt:mikey " + resp + "\r\n",
            base + "a=key-mgmt:other " + init + "\r\nm=audio 5004 RTP/SAVP 0\r\n",
            base + "m=audio 5004 RTP/SAVP 0\r\na=key-mgmt:mikey !!not-base64!!\r\n",
            base + "m=audio 5004 RTP/SAVP 0\na=key-mgmt:mikey " + init + "\n",
            base,
        };
        for (String sdp : sdps) {
            int parsed = KeyMgmtSdp.readKeyMgmt(sdp).filter(b -> b.length >= 2).map(b -> b[1] & 0xff).orElse(-1);
            assertThat(KeyMgmtSdp.mikeyDataType(sdp)).as(sdp).isEqualTo(parsed);
        }
        assertThat(KeyMgmtSdp.mikeyDataType(sdps[3])).isEqualTo(15);
        assertThat(KeyMgmtSdp.mikeyDataType(sdps[2])).isEqualTo(14);
    }
}
