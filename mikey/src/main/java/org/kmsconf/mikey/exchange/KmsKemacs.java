package org.kmsconf.mikey.exchange;

import java.util.Arrays;
import java.util.List;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.payload.Kemac;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.Timestamp;

/** The KEMACs the KMS writes (the base ticket's and the responses'): key data around key material, encrypted. */
final class KmsKemacs {
    /** CSB ID used in the base ticket's KEMAC IV (RFC 6043 App. A.2). */
    static final int TICKET_CSB_ID = 0xFFFFFFFF;

    private KmsKemacs() {
    }

    /** Encrypts the key data chain into a KEMAC, then zeroes the key data's plaintext copies. */
    static Kemac encrypt(MessageKeys keys, int csbId, Timestamp t, KeyData... keyData) {
        try {
            return Exchanges.encryptKeys(keys, csbId, t, List.of(keyData));
        } finally {
            for (KeyData k : keyData) {
                k.destroy();
            }
        }
    }

    /** Key data of this type with its SPI around {@code key}; the plaintext copy is zeroed. */
    static KeyData keyData(KeyDataType type, KeyMaterial key, byte[] spi) {
        byte[] b = key.bytes();
        try {
            return KeyData.withSpi(type, b, spi);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
