package org.kmsconf.mikey.print;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user pastes into MIKEY bytes: hex (optionally with {@code 0x}, spaces, colons or line breaks),
 * base64 (standard or URL-safe, padding optional), an SDP line {@code a=key-mgmt:mikey <base64>} (RFC 4567, also
 * inside a whole SDP body), or an RTSP {@code KeyMgmt: prot=mikey; data="<base64>"} header.
 */
public final class MikeyInput {
    private static final Pattern KEY_MGMT = Pattern.compile("(?m)^\\s*(?:a=)?key-mgmt:\\s?mikey\\s+(\\S.*)$");
    private static final Pattern RTSP = Pattern.compile("(?i)prot=mikey\\s*;.*?data=\"([^\"]*)\"");
    private static final Pattern HEX = Pattern.compile("(?:0x)?(?:[0-9a-fA-F]{2}[\\s:]*)+");

    private MikeyInput() {
    }

    /** The MIKEY bytes in {@code text}; throws {@link IllegalArgumentException} with a one-line reason. */
    public static byte[] parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no input (expected hex, base64 or an a=key-mgmt:mikey line)");
        }
        Matcher km = KEY_MGMT.matcher(s);
        if (km.find()) {
            return base64(km.group(1), "a=key-mgmt:mikey data");
        }
        if (s.contains("key-mgmt:")) {
            throw new IllegalArgumentException("the a=key-mgmt line does not name protocol mikey");
        }
        Matcher rtsp = RTSP.matcher(s);
        if (rtsp.find()) {
            return base64(rtsp.group(1), "RTSP KeyMgmt data");
        }
        if (HEX.matcher(s).matches()) {
            String digits = s.replaceFirst("^0x", "").replaceAll("[\\s:]", "");
            return HexFormat.of().parseHex(digits);
        }
        return base64(s, "input");
    }

    /** The input when given as raw bytes (a file): binary MIKEY if it starts with version 1, else text. */
    public static byte[] parse(byte[] raw) {
        if (raw.length > 0 && raw[0] == 1) {
            return raw.clone();
        }
        return parse(new String(raw, StandardCharsets.US_ASCII));
    }

    private static byte[] base64(String s, String what) {
        String compact = s.replaceAll("\\s", "");
        try {
            if (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(compact);
            }
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is neither hex nor base64: " + e.getMessage());
        }
    }
}
