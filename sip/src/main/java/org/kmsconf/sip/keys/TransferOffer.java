package org.kmsconf.sip.keys;

/** The initiator's side of one TRANSFER exchange: the TRANSFER_INIT to send and how to check the answer. */
public interface TransferOffer {
    /** The TRANSFER_INIT message bytes (for a=key-mgmt or an application/mikey body). */
    byte[] message();

    /**
     * Verifies a TRANSFER_RESP (MAC with MPKr' forked with the IDRr and RANDRkms it carries; replay) and derives the
     * per-CS SRTP keys. The returned leg's {@link Leg#responder()} is the identity that answered (the authenticated
     * IDRr: for the factory, the allocated focus URI).
     */
    Leg complete(byte[] transferResp) throws KeyManagementException;
}
