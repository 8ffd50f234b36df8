package org.kmsconf.control.tls;

/**
 * Sees every BFCP message of a client connection ({@link BfcpTlsClient}) in the clear, after decryption and before
 * encryption. For tests only (a test writes them to a pcap for tshark's BFCP dissector): never give one in
 * production, since it exposes what TLS protects.
 */
public interface WireTap {
    /** A whole message the local side sent. */
    void sent(byte[] message);

    /** A whole message the local side received. */
    void received(byte[] message);
}
