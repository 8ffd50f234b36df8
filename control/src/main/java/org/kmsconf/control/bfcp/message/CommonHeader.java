package org.kmsconf.control.bfcp.message;

/**
 * The fields of the BFCP COMMON-HEADER (RFC 8855 §5.1) that a message carries over TCP: the R (Transaction
 * Responder) flag, Conference ID (32 bits), Transaction ID and User ID (16 bits each). Ver is 1 (reliable transport),
 * F is 0 and there are no fragment fields; the codec writes Primitive and Payload Length.
 */
public record CommonHeader(boolean responder, long conferenceId, int transactionId, int userId) {

    public CommonHeader {
        if (conferenceId < 0 || conferenceId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Conference ID is 32 bits unsigned");
        }
        if (transactionId < 0 || transactionId > 0xFFFF || userId < 0 || userId > 0xFFFF) {
            throw new IllegalArgumentException("Transaction ID and User ID are 16 bits unsigned");
        }
    }

    /** A message that starts a transaction (R = 0). */
    public static CommonHeader request(long conferenceId, int transactionId, int userId) {
        return new CommonHeader(false, conferenceId, transactionId, userId);
    }

    /**
     * A message of the floor control server outside any transaction, e.g. a FloorStatus notification: over a reliable
     * transport it carries Transaction ID 0 and is not acknowledged (RFC 8855 §8).
     */
    public static CommonHeader notification(long conferenceId, int userId) {
        return new CommonHeader(false, conferenceId, 0, userId);
    }

    /** The answer in the same transaction: R = 1, the same Conference ID, Transaction ID and User ID (RFC 8855 §8). */
    public CommonHeader response() {
        return new CommonHeader(true, conferenceId, transactionId, userId);
    }

    @Override
    public String toString() {
        return "conf " + conferenceId + " tid " + transactionId + " user " + userId + (responder ? " R" : "");
    }
}
