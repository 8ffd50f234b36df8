package org.kmsconf.mikey.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MikeyInputTest {
    /** RFC 4567 §5.1, the Initiator's PSK init (docs/test-vectors.md §B). */
    static final String RFC4567_B64 = "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV";
    static final byte[] RFC4567 = Base64.getDecoder().decode(RFC4567_B64);

    @Test
    void base64() {
        assertThat(MikeyInput.parse(RFC4567_B64)).isEqualTo(RFC4567);
        assertThat(MikeyInput.parse("  " + RFC4567_B64 + "\n")).isEqualTo(RFC4567);
    }

    @Test
    void urlSafeBase64WithoutPadding() {
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(RFC4567);
        assertThat(MikeyInput.parse(url)).isEqualTo(RFC4567);
    }

    @Test
    void hexInEveryUsualSpelling() {
        assertThat(MikeyInput.parse("0100058012345678")).containsExactly(1, 0, 5, 0x80, 0x12, 0x34, 0x56, 0x78);
        assertThat(MikeyInput.parse("0x01 00 05 80\n12:34:56:78")).containsExactly(1, 0, 5, 0x80, 0x12, 0x34, 0x56,
                0x78);
    }

    @Test
    void sdpKeyMgmtLineAlsoInsideAWholeSdpBody() {
        assertThat(MikeyInput.parse("a=key-mgmt:mikey " + RFC4567_B64)).isEqualTo(RFC4567);
        assertThat(MikeyInput.parse("a=key-mgmt: mikey " + RFC4567_B64)).isEqualTo(RFC4567);
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0\r\n"
                + "a=key-mgmt:mikey " + RFC4567_B64 + "\r\na=sendrecv\r\n";
        assertThat(MikeyInput.parse(sdp)).isEqualTo(RFC4567);
    }

    @Test
    void rtspKeyMgmtHeader() {
        assertThat(MikeyInput.parse("KeyMgmt: prot=mikey; uri=\"rtsp://x\"; data=\"" + RFC4567_B64 + "\""))
                .isEqualTo(RFC4567);
    }

    @Test
    void rawBinaryFileBytesAreTakenAsTheyAre() {
        assertThat(MikeyInput.parse(RFC4567)).isEqualTo(RFC4567);
        assertThat(MikeyInput.parse(("a=key-mgmt:mikey " + RFC4567_B64).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(RFC4567);
    }

    @Test
    void garbageIsRefusedWithOneLine() {
        assertThatThrownBy(() -> MikeyInput.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no input");
        assertThatThrownBy(() -> MikeyInput.parse("this is not it!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither hex nor base64").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> MikeyInput.parse("a=key-mgmt:zrtp abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mikey");
    }
}
