package org.kmsconf.mikey.exchange;

import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;
import org.kmsconf.mikey.payload.Timestamp;

/**
 * An initial message to the KMS (REQUEST_INIT_PSK, RFC 6043 §5.1; RESOLVE_INIT_PSK, §5.3) once it has been read
 * and authenticated: its timestamp, its one RANDR, the sender's IDR (IDRi or IDRr), the ticket policy or ticket it
 * is about, the algorithm set, and the sender's key. The response's keys derive from that RANDR alone.
 */
record KmsInitial<P extends Payload>(MikeyMessage m, Timestamp t, Randr rand, Idr sender, P body,
        AlgorithmSet set, KmsDirectory.UserKey key) {

    int csbId() {
        return m.header().csbId();
    }

    /** Encryption keys for the response's KEMAC (its V carries the MAC: NULL MAC inside). */
    MessageKeys responseKeys() {
        return KeyDerivation.messageKeys(set.prf(), key.psk(), Direction.RESPONSE, csbId(),
                randOf(rand, RandRole.RANDRi), randOf(rand, RandRole.RANDRr), set.encrAlg(), MacAlg.NULL);
    }

    /** The response's bytes with its V, keyed for the response direction and bound to the request. */
    byte[] signed(MikeyMessage response, byte[] requestBytes) {
        KeyMaterial auth = KeyDerivation.authKey(set.prf(), key.psk(), Direction.RESPONSE, csbId(),
                randOf(rand, RandRole.RANDRi), randOf(rand, RandRole.RANDRr), set.macAlg());
        try {
            return Exchanges.signedBytes(response, auth, requestBytes);
        } finally {
            auth.destroy();
        }
    }

    /** The RAND of a RANDR when it has this role (the one the key derivation expects there), else null. */
    static byte[] randOf(Randr rand, RandRole role) {
        return rand.role() == role ? rand.rand() : null;
    }
}
