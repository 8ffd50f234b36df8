package org.kmsconf.control.event;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import org.kmsconf.control.cms.AuthEnvelopedCms;
import org.kmsconf.control.cms.KekId;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceInfoXml;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * The body of a conference-package NOTIFY in a secure conference (docs/profile.md §6, kmsconf extension): the
 * conference-info document as a MIME entity, encrypted for one subscriber's leg with that leg's K(0xE0) as CMS
 * AuthEnvelopedData (binary DER), with the SIP headers below. Never plain conference-info.
 */
public final class NotifyBody {
    /** SIP Content-Type of the NOTIFY (RFC 8551 §3.2, RFC 5083 smime-type). */
    public static final String CONTENT_TYPE = "application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m";
    /** SIP Content-Disposition of the NOTIFY (RFC 3261 §20.11, RFC 8591). */
    public static final String CONTENT_DISPOSITION = "attachment; handling=required; filename=smime.p7m";
    /** The SUBSCRIBE's Accept must list this (else 406). */
    public static final String ACCEPT = "application/pkcs7-mime";

    static final String INNER_HEADER = "Content-Type: " + ConferenceInfo.MEDIA_TYPE + "\r\n\r\n";

    private NotifyBody() {
    }

    /**
     * The body for one subscriber: {@code "Content-Type: application/conference-info+xml" CRLF CRLF xml}, sealed
     * with the subscriber's leg KEK under kekid = CSB ID || 0xE0; a fresh CEK and nonce every call.
     */
    public static byte[] seal(ConferenceInfo doc, int legCsbId, KeyMaterial legKek, SecureRandom random) {
        byte[] xml = ConferenceInfoXml.write(doc);
        byte[] head = INNER_HEADER.getBytes(StandardCharsets.US_ASCII);
        byte[] plain = new byte[head.length + xml.length];
        System.arraycopy(head, 0, plain, 0, head.length);
        System.arraycopy(xml, 0, plain, head.length, xml.length);
        return AuthEnvelopedCms.seal(plain, new KekId(legCsbId), legKek, random);
    }

    /**
     * Seals and opens one throwaway document under a throwaway key, so that the first real NOTIFY does not pay for
     * loading the CMS code and Bouncy Castle's provider (about a second on a small machine). Call it once, off the
     * path of any request, when a focus or a user agent starts.
     */
    public static void warmUp() {
        KeyMaterial kek = KeyMaterial.of(new byte[16]);
        try {
            ConferenceInfo doc = new ConferenceInfo("sip:warm-up@invalid", org.kmsconf.control.confinfo.State.FULL, 1,
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.List.of());
            byte[] body = seal(doc, 1, kek, new SecureRandom());
            new ConferenceEventReceiver(doc.entity(), id -> java.util.Optional.of(kek)).receive(CONTENT_TYPE, body);
        } finally {
            kek.destroy();
        }
    }

    /** Is a SIP Content-Type ours: application/pkcs7-mime with smime-type=authEnveloped-data? */
    public static boolean isProtected(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/pkcs7-mime")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("smime-type")) {
                return unquote(kv[1].strip()).toLowerCase(Locale.ROOT).equals("authenveloped-data");
            }
        }
        return false;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
