package org.kmsconf.control.cms;

import java.io.IOException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KEKRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * CMS AuthEnvelopedData (RFC 5083) with AES-GCM content encryption (RFC 5084) and one KEK recipient (RFC 5652
 * §6.2.3), DER-encoded, as docs/profile.md §6 profiles it: kekid = CSB ID || 0xE0, the CEK wrapped with AES key wrap
 * (RFC 3394; id-aes128-wrap for a 16-octet KEK, id-aes256-wrap for a 32-octet one), content encrypted with AES-GCM
 * of the same strength (12-octet nonce, 16-octet tag), no authenticated attributes, a fresh random CEK and nonce for
 * every body. On Bouncy Castle's CMS API and provider (a private instance, never registered globally).
 */
public final class AuthEnvelopedCms {
    private static final Provider BC = new BouncyCastleProvider();

    private AuthEnvelopedCms() {
    }

    /** Encrypts {@code plaintext} for the holder of {@code kek} (16 or 32 octets). */
    public static byte[] seal(byte[] plaintext, KekId kekId, KeyMaterial kek, SecureRandom random) {
        byte[] k = kek.bytes();
        try {
            SecretKey key = new SecretKeySpec(k, "AES");
            ASN1ObjectIdentifier contentAlg = switch (k.length) {
                case 16 -> CMSAlgorithm.AES128_GCM;
                case 32 -> CMSAlgorithm.AES256_GCM;
                default -> throw new IllegalArgumentException("a KEK of 16 or 32 octets");
            };
            CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
            gen.addRecipientInfoGenerator(new JceKEKRecipientInfoGenerator(kekId.bytes(), key).setProvider(BC)
                    .setSecureRandom(random));
            OutputAEADEncryptor enc = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(contentAlg)
                    .setProvider(BC).setSecureRandom(random).build();
            CMSAuthEnvelopedData d = gen.generate(new CMSProcessableByteArray(plaintext), enc);
            return d.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("CMS encryption failed", e);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Opens a body: the structure, then the kekid ({@code keks} answers for it, or empty), then the key unwrap and
     * the GCM tag. Never throws for what a sender controls.
     */
    public static OpenResult open(byte[] body, Function<KekId, Optional<KeyMaterial>> keks) {
        CMSAuthEnvelopedData d;
        KEKRecipientInformation kri;
        try {
            ContentInfo ci = ContentInfo.getInstance(body);
            if (!CMSObjectIdentifiers.authEnvelopedData.equals(ci.getContentType())) {
                return new OpenResult.Malformed("content type " + ci.getContentType() + ", not authEnvelopedData");
            }
            AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
            if (aed.getAuthAttrs() != null || aed.getUnauthAttrs() != null) {
                return new OpenResult.Malformed("attributes are not used in this profile");
            }
            ASN1ObjectIdentifier alg = aed.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm()
                    .getAlgorithm();
            if (!NISTObjectIdentifiers.id_aes128_GCM.equals(alg) && !NISTObjectIdentifiers.id_aes256_GCM.equals(alg)) {
                return new OpenResult.Malformed("content encryption " + alg + " is not AES-GCM");
            }
            d = new CMSAuthEnvelopedData(ci);
            Collection<RecipientInformation> all = d.getRecipientInfos().getRecipients();
            if (all.size() != 1 || !(all.iterator().next() instanceof KEKRecipientInformation k)) {
                return new OpenResult.Malformed("exactly one KEK recipient expected");
            }
            kri = k;
        } catch (CMSException | RuntimeException e) {
            return new OpenResult.Malformed("not DER CMS AuthEnvelopedData: " + e.getMessage());
        }
        byte[] keyId = ((KEKRecipientId) kri.getRID()).getKeyIdentifier();
        Optional<KekId> id = KekId.parse(keyId);
        Optional<KeyMaterial> kek = id.flatMap(keks);
        if (kek.isEmpty()) {
            return new OpenResult.UnknownKek(keyId);
        }
        byte[] k = kek.get().bytes();
        try {
            byte[] plain = kri.getContent(new JceKEKAuthEnvelopedRecipient(new SecretKeySpec(k, "AES"))
                    .setProvider(BC));
            return new OpenResult.Opened(id.get(), plain);
        } catch (CMSException | RuntimeException e) {
            return new OpenResult.AuthenticationFailed(id.get());
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }
}
