package org.kmsconf.control.tls;

import java.util.Objects;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * A leg's BFCP credentials as the floor control server knows them: the PSK (the leg's K(0xB0), owned by the caller,
 * only read here), and the Conference ID and User ID the leg was given in SDP ({@code a=confid}, {@code a=userid}).
 * Every message on the leg's TLS connection must carry exactly these.
 */
public record BfcpLeg(PskIdentity identity, KeyMaterial psk, long conferenceId, int userId) {
    public BfcpLeg {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(psk, "psk");
    }

    @Override
    public String toString() {
        return "BfcpLeg[" + identity + ", conf " + conferenceId + ", user " + userId + "]";
    }
}
