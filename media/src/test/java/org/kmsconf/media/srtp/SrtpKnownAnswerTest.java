package org.kmsconf.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Known answers through the code path packets take: RFC 3711 Appendix B (docs/test-vectors.md §A), RFC 6188 §7.2, and
 * libsrtp's published reference packets.
 */
class SrtpKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    // RFC 3711 §B.3
    private static final byte[] B3_MASTER_KEY = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
    private static final String B3_CIPHER_KEY = "c61e7a93744f39ee10734afe3ff7a087";
    private static final String B3_CIPHER_SALT = "30cbbc08863d8c85d49db34a9ae1";
    private static final String B3_AUTH_KEY = "cebe321f6ff7716b6fd4ab49af256a15" + "6d38baa48f0a0acf3c34e2359e6cdbce"
            + "e049646c43d9327ad175578ef7227098" + "6371c10c9a369ac2f94a8c5fbcdddc25"
            + "6d6e919a48b610ef17c2041e47403576" + "6b68642c59bbfc2f34db60dbdfb2";

    @Test
    void keyDerivationMatchesRfc3711B3() {
        assertThat(HEX.formatHex(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, SrtpKdf.LABEL_RTP_ENCRYPTION, 16)))
                .isEqualTo(B3_CIPHER_KEY);
        assertThat(HEX.formatHex(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, SrtpKdf.LABEL_RTP_SALT, 14)))
                .isEqualTo(B3_CIPHER_SALT);
        assertThat(HEX.formatHex(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, SrtpKdf.LABEL_RTP_AUTH, 94)))
                .isEqualTo(B3_AUTH_KEY);
    }

    @Test
    void allLabelsUnderOneKeyScheduleMatchRfc3711B3() {
        byte[][] session = SrtpKdf.all(B3_MASTER_KEY, B3_MASTER_SALT,
                new int[] {SrtpKdf.LABEL_RTP_SALT, SrtpKdf.LABEL_RTP_AUTH, SrtpKdf.LABEL_RTP_ENCRYPTION},
                new int[] {14, 94, 16});
        assertThat(HEX.formatHex(session[0])).isEqualTo(B3_CIPHER_SALT);
        assertThat(HEX.formatHex(session[1])).isEqualTo(B3_AUTH_KEY);
        assertThat(HEX.formatHex(session[2])).isEqualTo(B3_CIPHER_KEY);
    }

    @Test
    void aesCmKeystreamMatchesRfc3711B2() {
        byte[] key = HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        byte[] ks = JceSrtpContext.keystream(key, salt, 0, 0, 1044512);
        assertThat(HEX.formatHex(ks, 0, 48)).isEqualTo("e03ead0935c95e80e166b16dd92b4eb4"
                + "d23513162b02d0f72a43a2fe4a5f97ab" + "41e95b3bb0a2e8dd477901e4fca894c0");
        int last = 1044512 - 48; // blocks FEFF, FF00, FF01
        assertThat(HEX.formatHex(ks, last, last + 48)).isEqualTo("ec8cdf7398607cb0f2d21675ea9ea1e4"
                + "362b7c3c6773516318a077d7fc5073ae" + "6a2cc3787889374fbeb4c81b17ba6c44");
    }

    /** A packet protected from the B.3 master key equals AES-CTR + HMAC-SHA1 computed here with the B.3 session keys. */
    @Test
    void protectedPacketEqualsIndependentJceComputationWithB3SessionKeys() throws Exception {
        int ssrc = 0xCAFEBABE;
        int seq = 0x1234;
        byte[] rtp = rtp(ssrc, seq, 0x11223344, 160);
        SrtpContext tx = SrtpContext.sender(new SrtpKeys(1, B3_MASTER_KEY, B3_MASTER_SALT, SrtpPolicy.DEFAULT));
        PacketBuffer p = PacketBuffer.allocate(rtp.length).copyFrom(rtp, 0, rtp.length);
        assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);

        byte[] iv = new byte[16];
        System.arraycopy(HEX.parseHex(B3_CIPHER_SALT), 0, iv, 0, 14);
        byte[] ssrcIndex = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 0, 0x12, 0x34};
        for (int i = 0; i < 10; i++) {
            iv[4 + i] ^= ssrcIndex[i]; // SSRC at bytes 4..7, index (ROC 0, SEQ) at bytes 8..13
        }
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HEX.parseHex(B3_CIPHER_KEY), "AES"), new IvParameterSpec(iv));
        byte[] expected = new byte[rtp.length + 10];
        System.arraycopy(rtp, 0, expected, 0, 12);
        System.arraycopy(aes.doFinal(rtp, 12, rtp.length - 12), 0, expected, 12, rtp.length - 12);
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(HEX.parseHex(B3_AUTH_KEY.substring(0, 40)), "HmacSHA1"));
        hmac.update(expected, 0, rtp.length);
        byte[] tag = hmac.doFinal(new byte[4]); // ROC = 0
        System.arraycopy(tag, 0, expected, rtp.length, 10);

        assertThat(HEX.formatHex(p.toByteArray())).isEqualTo(HEX.formatHex(expected));

        SrtpContext rx = SrtpContext.receiver(new SrtpKeys(1, B3_MASTER_KEY, B3_MASTER_SALT, SrtpPolicy.DEFAULT));
        rx.addStream(Ssrc.of(ssrc), 0);
        assertThat(rx.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toByteArray()).isEqualTo(rtp);
    }

    // RFC 6188 §7.2 (AES_256_CM_PRF)
    private static final byte[] RFC6188_MASTER_KEY =
            HEX.parseHex("f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6");
    private static final byte[] RFC6188_MASTER_SALT = HEX.parseHex("3b04803de51ee7c96423ab5b78d2");

    @Test
    void aes256KeyDerivationMatchesRfc6188Section7_2() {
        assertThat(HEX.formatHex(SrtpKdf.derive(RFC6188_MASTER_KEY, RFC6188_MASTER_SALT,
                SrtpKdf.LABEL_RTP_ENCRYPTION, 32)))
                .isEqualTo("5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4");
        assertThat(HEX.formatHex(SrtpKdf.derive(RFC6188_MASTER_KEY, RFC6188_MASTER_SALT, SrtpKdf.LABEL_RTP_SALT, 14)))
                .isEqualTo("fa31791685ca444a9e07c6c64e93");
        assertThat(HEX.formatHex(SrtpKdf.derive(RFC6188_MASTER_KEY, RFC6188_MASTER_SALT, SrtpKdf.LABEL_RTP_AUTH, 20)))
                .isEqualTo("fd9c32d39ed5fbb5a9dc96b30818454d1313dc05");
    }

    // libsrtp's reference packets (test/srtp_driver.c: srtp_validate, srtp_validate_aes_256, srtp_test_empty_payload):
    // SSRC 0xcafebabe, SEQ 0x1234, payload 16 × 0xab, key and salt of RFC 3711 §B.3 (AES-128) or RFC 6188 (AES-256).
    private static final String REF_RTP = "800f1234decafbadcafebabe" + "ab".repeat(16);
    private static final String REF_RTCP = "81c8000bcafebabe" + "ab".repeat(16);

    private static void assertProtectsTo(SrtpPolicy profile, byte[] key, byte[] salt, String plain, String expected,
                                         boolean rtcp) {
        SrtpContext tx = SrtpContext.sender(new SrtpKeys(1, key, salt, profile));
        if (rtcp) {
            // libsrtp's first SRTCP index is 1, ours 0: spend index 0 on another report first.
            byte[] other = HEX.parseHex(plain);
            assertThat(tx.protectRtcp(PacketBuffer.allocate(other.length).copyFrom(other, 0, other.length)))
                    .isEqualTo(SrtpStatus.OK);
        }
        byte[] in = HEX.parseHex(plain);
        PacketBuffer p = PacketBuffer.allocate(in.length).copyFrom(in, 0, in.length);
        assertThat(rtcp ? tx.protectRtcp(p) : tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(HEX.formatHex(p.toByteArray())).isEqualTo(expected);

        SrtpContext rx = SrtpContext.receiver(new SrtpKeys(1, key, salt, profile));
        rx.addStream(Ssrc.of(0xcafebabe), 0);
        byte[] wire = HEX.parseHex(expected);
        PacketBuffer q = PacketBuffer.allocate(wire.length).copyFrom(wire, 0, wire.length);
        assertThat(rtcp ? rx.unprotectRtcp(q) : rx.unprotectRtp(q)).isEqualTo(SrtpStatus.OK);
        assertThat(HEX.formatHex(q.toByteArray())).isEqualTo(plain);
    }

    @Test
    void libsrtpReferencePacketAes128() {
        assertProtectsTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT, REF_RTP,
                "800f1234decafbadcafebabe" + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb", false);
    }

    @Test
    void libsrtpReferenceSrtcpPacketAes128() {
        assertProtectsTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT, REF_RTCP,
                "81c8000bcafebabe" + "7128035be487b9bdbef89041f977a5a8" + "80000001" + "993e08cd54d6c1230798", true);
    }

    @Test
    void libsrtpReferencePacketWithEmptyPayload() {
        assertProtectsTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT,
                "800f1234decafbadcafebabe", "800f1234decafbadcafebabe" + "773c2e1cd91d590d16e5", false);
    }

    @Test
    void libsrtpReferencePacketAes256() {
        assertProtectsTo(SrtpPolicy.AES_256_CM_HMAC_SHA1_80, RFC6188_MASTER_KEY, RFC6188_MASTER_SALT, REF_RTP,
                "800f1234decafbadcafebabe" + "f1d9de17ff251ff1aa007774b0b4b40d" + "a08d9d9a5b3a55d8873b", false);
    }

    static byte[] rtp(int ssrc, int seq, int timestamp, int payloadLen) {
        byte[] b = new byte[12 + payloadLen];
        b[0] = (byte) 0x80;
        b[1] = 0; // PCMU
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (timestamp >>> 24);
        b[5] = (byte) (timestamp >>> 16);
        b[6] = (byte) (timestamp >>> 8);
        b[7] = (byte) timestamp;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) (i * 7 + seq);
        }
        return b;
    }
}
