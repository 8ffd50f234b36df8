package org.kmsconf.control.bfcp.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Checks shared by the message records. */
final class Texts {
    /** An OctetString attribute's Length is 8 bits and includes the 2-octet attribute header. */
    static final int MAX_TEXT_BYTES = 253;

    private Texts() {
    }

    static Optional<String> text(Optional<String> s, String what) {
        s.ifPresent(v -> {
            if (v.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException(what + " longer than " + MAX_TEXT_BYTES + " bytes");
            }
        });
        return s;
    }

    static int u16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + " is 16 bits unsigned");
        }
        return v;
    }

    static List<Integer> u16s(List<Integer> vs, String what) {
        vs.forEach(v -> u16(v, what));
        return List.copyOf(vs);
    }
}
