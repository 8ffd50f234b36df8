package org.kmsconf.control.tls;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TLS psk_identity of a leg's BFCP connection (docs/profile.md §6, kmsconf extension): the ASCII string
 * {@code kmsconf-bfcp:<CSB ID as 8 lowercase hex digits>:b0}, e.g. {@code kmsconf-bfcp:0a0b0c0d:b0} (24 octets).
 * It names the MIKEY exchange whose K(0xB0) is the PSK, and carries no SIP URI, so no identity travels in the clear.
 */
public record PskIdentity(int csbId) {
    private static final String PREFIX = "kmsconf-bfcp:";
    private static final String SUFFIX = ":b0";
    private static final Pattern FORM = Pattern.compile("kmsconf-bfcp:[0-9a-f]{8}:b0");

    /** The identity as text. */
    public String text() {
        return PREFIX + HexFormat.of().toHexDigits(csbId) + SUFFIX;
    }

    /** The identity as the octets sent in TLS. */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.US_ASCII);
    }

    /** The identity in received octets, if they have exactly our form (anything else is unknown). */
    public static Optional<PskIdentity> parse(byte[] identity) {
        if (identity == null || identity.length != 24) {
            return Optional.empty();
        }
        String s = new String(identity, StandardCharsets.US_ASCII);
        if (!FORM.matcher(s).matches()) {
            return Optional.empty();
        }
        return Optional.of(new PskIdentity(HexFormat.fromHexDigits(s, PREFIX.length(), PREFIX.length() + 8)));
    }

    @Override
    public String toString() {
        return text();
    }
}
