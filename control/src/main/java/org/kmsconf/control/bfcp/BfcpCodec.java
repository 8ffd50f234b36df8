package org.kmsconf.control.bfcp;

import org.kmsconf.control.bfcp.message.BfcpMessage;

/**
 * BFCP messages to and from bytes (RFC 8855 §5), for reliable transports (Ver 1, no fragmentation). Decoding is
 * strict: every length is checked before use, the attributes must be those the primitive allows, and every failure
 * is a {@link BfcpException} with the BFCP error code to answer with; nothing else escapes. For any message
 * {@code decode(encode(m)).equals(m)}.
 */
public final class BfcpCodec {
    /** The COMMON-HEADER over a reliable transport (no fragment fields). */
    public static final int HEADER_BYTES = 12;

    private BfcpCodec() {
    }

    /** The wire form of a message; IllegalArgumentException if an attribute exceeds 255 octets. */
    public static byte[] encode(BfcpMessage m) {
        return BfcpEncoder.encode(m);
    }

    /** One whole message (as framed by {@link BfcpFrameReader}). */
    public static BfcpMessage decode(byte[] message) {
        return BfcpDecoder.decode(message);
    }
}
