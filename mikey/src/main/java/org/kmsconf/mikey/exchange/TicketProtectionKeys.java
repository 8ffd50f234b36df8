package org.kmsconf.mikey.exchange;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.mikey.payload.Bytes;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * The KMS's own ticket protection keys (TPK, RFC 6043 App. A; mode 1: only the KMS holds them). Each has an
 * identifier carried in the base ticket's IDRpsk. The first key protects new tickets; the others still resolve
 * tickets issued before a key roll-over.
 */
public final class TicketProtectionKeys {

    /** One TPK and its identifier. */
    public record Tpk(byte[] id, KeyMaterial key) {
        public Tpk {
            id = id.clone();
            Objects.requireNonNull(key, "key");
            if (id.length == 0 || id.length > 0xffff) {
                throw new IllegalArgumentException("TPK id must be 1 to 65535 bytes");
            }
            if (key.length() < 16) {
                throw new IllegalArgumentException("a TPK has at least 128 bits");
            }
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        @Override
        public String toString() {
            return "Tpk[" + Bytes.hex(id) + ", key redacted]";
        }
    }

    private final List<Tpk> keys;

    /** {@code keys.get(0)} is the current key. */
    public TicketProtectionKeys(List<Tpk> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one TPK");
        }
        this.keys = List.copyOf(keys);
    }

    public Tpk current() {
        return keys.get(0);
    }

    /** The TPK a ticket names, if this KMS holds it. */
    public Optional<KeyMaterial> byId(byte[] id) {
        return keys.stream().filter(k -> Arrays.equals(k.id, id)).map(Tpk::key).findFirst();
    }

    @Override
    public String toString() {
        return "TicketProtectionKeys[" + keys.size() + " keys, redacted]";
    }
}
