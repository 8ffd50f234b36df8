package org.kmsconf.mikey.exchange;

import java.util.Arrays;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.payload.KeyData;
import org.kmsconf.mikey.payload.KeyDataType;
import org.kmsconf.mikey.payload.KeyValidity;

/** The ticket's TGK as asked for (type TGK or TGK+SALT, length, salt, SPI). */
final class Tgk {
    final KeyDataType type;
    final KeyMaterial key;
    final byte[] salt;
    final byte[] spi;

    Tgk(KeyDataType type, KeyMaterial key, byte[] salt, byte[] spi) {
        this.type = type;
        this.key = key;
        this.salt = salt;
        this.spi = spi;
    }

    /** Key data of this TGK's type, salt and SPI around {@code k} (the TGK itself or its fork TGK'). */
    KeyData keyData(KeyMaterial k) {
        byte[] b = k.bytes();
        try {
            return new KeyData(type, b, salt, new KeyValidity.Spi(spi));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    void destroy() {
        key.destroy();
    }
}
