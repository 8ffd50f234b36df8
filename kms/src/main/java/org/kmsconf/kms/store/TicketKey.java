package org.kmsconf.kms.store;

/**
 * One of the KMS's ticket protection keys (TPK, RFC 6043 App. A.1): the key and its id (carried as the base ticket's
 * IDRpsk). {@link #toString()} never shows the key.
 */
public final class TicketKey extends IdentifiedKey {

    public TicketKey(byte[] keyId, byte[] key) {
        super(keyId, key);
    }

    @Override
    public String toString() {
        return "TicketKey[id=" + keyIdHex() + ", key redacted]";
    }
}
