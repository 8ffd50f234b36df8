package org.kmsconf.control.cms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * The NOTIFY body's CMS (docs/profile.md §6): its exact structure, decryption by the JDK's own AES key wrap and
 * AES-GCM (a second implementation reading the DER by hand), and every failure as its typed outcome: one flipped
 * bit anywhere that matters, a wrong KEK, an unknown kekid, garbage.
 */
class AuthEnvelopedCmsTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final int CSB = 0x0a0b0c0d;
    static final byte[] PLAIN = "Content-Type: application/conference-info+xml\r\n\r\n<x/>"
            .getBytes(StandardCharsets.US_ASCII);

    static KeyMaterial key(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return KeyMaterial.of(b);
    }

    static Function<KekId, Optional<KeyMaterial>> only(int csb, KeyMaterial kek) {
        return id -> id.csbId() == csb ? Optional.of(kek) : Optional.empty();
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void theStructureIsTheProfilesAndTheJdkAloneCanOpenIt(int kekBytes) throws Exception {
        KeyMaterial kek = key(kekBytes);
        byte[] body = AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM);

        ContentInfo ci = ContentInfo.getInstance(body);
        assertThat(ci.getEncoded(ASN1Encoding.DER)).as("DER").isEqualTo(body);
        assertThat(ci.getContentType().getId()).isEqualTo("1.2.840.113549.1.9.16.1.23"); // id-ct-authEnvelopedData
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
        assertThat(aed.getVersion().intValueExact()).isZero();
        assertThat(aed.getOriginatorInfo()).isNull();
        assertThat(aed.getAuthAttrs()).as("no authAttrs").isNull();
        assertThat(aed.getUnauthAttrs()).isNull();
        assertThat(aed.getRecipientInfos().size()).isEqualTo(1);
        KEKRecipientInfo kri = KEKRecipientInfo.getInstance(
                RecipientInfo.getInstance(aed.getRecipientInfos().getObjectAt(0)).getInfo());
        assertThat(kri.getVersion().intValueExact()).isEqualTo(4);
        assertThat(kri.getKekid().getKeyIdentifier().getOctets()).containsExactly(0x0a, 0x0b, 0x0c, 0x0d, 0xe0);
        assertThat(kri.getKekid().getDate()).isNull();
        assertThat(kri.getKekid().getOther()).isNull();
        assertThat(kri.getKeyEncryptionAlgorithm().getAlgorithm().getId())
                .isEqualTo(kekBytes == 16 ? "2.16.840.1.101.3.4.1.5" : "2.16.840.1.101.3.4.1.45"); // aes-wrap
        assertThat(kri.getKeyEncryptionAlgorithm().getParameters()).as("no params").isNull();
        var eci = aed.getAuthEncryptedContentInfo();
        assertThat(eci.getContentType().getId()).isEqualTo("1.2.840.113549.1.7.1"); // id-data
        assertThat(eci.getContentEncryptionAlgorithm().getAlgorithm().getId())
                .isEqualTo(kekBytes == 16 ? "2.16.840.1.101.3.4.1.6" : "2.16.840.1.101.3.4.1.46"); // AES-GCM
        GCMParameters gcm = GCMParameters.getInstance(eci.getContentEncryptionAlgorithm().getParameters());
        assertThat(gcm.getNonce()).hasSize(12);
        assertThat(gcm.getIcvLen()).isEqualTo(16);
        byte[] mac = aed.getMac().getOctets();
        assertThat(mac).hasSize(16);

        // The JDK's SunJCE: RFC 3394 unwrap of the CEK, then AES-GCM over ciphertext || mac.
        Cipher unwrap = Cipher.getInstance("AESWrap", "SunJCE");
        unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek.bytes(), "AES"));
        SecretKey cek = (SecretKey) unwrap.unwrap(kri.getEncryptedKey().getOctets(), "AES", Cipher.SECRET_KEY);
        assertThat(cek.getEncoded()).hasSize(kekBytes);
        Cipher gcmJdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        gcmJdk.init(Cipher.DECRYPT_MODE, cek, new GCMParameterSpec(128, gcm.getNonce()));
        byte[] ct = ASN1OctetString.getInstance(eci.getEncryptedContent()).getOctets();
        gcmJdk.update(ct);
        assertThat(gcmJdk.doFinal(mac)).isEqualTo(PLAIN);

        OpenResult r = AuthEnvelopedCms.open(body, only(CSB, kek));
        assertThat(r).isInstanceOfSatisfying(OpenResult.Opened.class, o -> {
            assertThat(o.plaintext()).isEqualTo(PLAIN);
            assertThat(o.kekId()).isEqualTo(new KekId(CSB));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void everyBodyHasAFreshCekAndNonce(int kekBytes) {
        KeyMaterial kek = key(kekBytes);
        AuthEnvelopedData a = parse(AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM));
        AuthEnvelopedData b = parse(AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM));
        assertThat(kri(a).getEncryptedKey()).isNotEqualTo(kri(b).getEncryptedKey());
        assertThat(nonce(a)).isNotEqualTo(nonce(b));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void oneFlippedBitAnywhereInTheProtectedPartsFailsAuthentication(int kekBytes) {
        KeyMaterial kek = key(kekBytes);
        byte[] body = AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM);
        AuthEnvelopedData aed = parse(body);
        byte[] ct = ASN1OctetString.getInstance(aed.getAuthEncryptedContentInfo().getEncryptedContent()).getOctets();
        for (byte[] part : new byte[][] {ct, aed.getMac().getOctets(), kri(aed).getEncryptedKey().getOctets(),
            nonce(aed)}) {
            int at = indexOf(body, part);
            for (int bit : new int[] {0, 7}) {
                byte[] flipped = body.clone();
                flipped[at + part.length / 2] ^= (byte) (1 << bit);
                assertThat(AuthEnvelopedCms.open(flipped, only(CSB, kek)))
                        .isInstanceOf(OpenResult.AuthenticationFailed.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void aWrongKekFailsAuthentication(int kekBytes) {
        byte[] body = AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), key(kekBytes), RANDOM);
        assertThat(AuthEnvelopedCms.open(body, only(CSB, key(kekBytes))))
                .isInstanceOf(OpenResult.AuthenticationFailed.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void anUnknownKekidIsUnknownKek(int kekBytes) {
        KeyMaterial kek = key(kekBytes);
        byte[] body = AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM);
        OpenResult r = AuthEnvelopedCms.open(body, only(CSB + 1, kek));
        assertThat(r).isInstanceOfSatisfying(OpenResult.UnknownKek.class,
                u -> assertThat(u.keyIdentifier()).containsExactly(0x0a, 0x0b, 0x0c, 0x0d, 0xe0));
        // a kekid of another form (not ending in 0xE0) names nothing either
        byte[] other = body.clone();
        other[indexOf(other, new byte[] {0x0a, 0x0b, 0x0c, 0x0d, (byte) 0xe0}) + 4] = (byte) 0xb0;
        assertThat(AuthEnvelopedCms.open(other, id -> Optional.of(kek))).isInstanceOf(OpenResult.UnknownKek.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 40})
    void garbageAndTruncationsAreMalformed(int cut) {
        KeyMaterial kek = key(16);
        byte[] body = AuthEnvelopedCms.seal(PLAIN, new KekId(CSB), kek, RANDOM);
        assertThat(AuthEnvelopedCms.open(Arrays.copyOf(body, cut), only(CSB, kek)))
                .isInstanceOf(OpenResult.Malformed.class);
        assertThat(AuthEnvelopedCms.open("<conference-info/>".getBytes(StandardCharsets.US_ASCII),
                only(CSB, kek))).isInstanceOf(OpenResult.Malformed.class);
    }

    static AuthEnvelopedData parse(byte[] body) {
        return AuthEnvelopedData.getInstance(ContentInfo.getInstance(body).getContent());
    }

    static KEKRecipientInfo kri(AuthEnvelopedData a) {
        return KEKRecipientInfo.getInstance(RecipientInfo.getInstance(a.getRecipientInfos().getObjectAt(0)).getInfo());
    }

    static byte[] nonce(AuthEnvelopedData a) {
        return GCMParameters.getInstance(a.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm()
                .getParameters()).getNonce();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
