package org.kmsconf.control.bfcp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.kmsconf.control.bfcp.message.ErrorCode;

/**
 * Messages on a byte stream (RFC 8855 §6.2: over TCP, messages follow each other with no framing of their own).
 * Reads the 12-octet common header, takes the message length from its Payload Length, and reads the rest; a
 * message longer than the configured maximum is refused before anything is allocated for it. The header's version
 * is checked here too, because on a stream a message of another version cannot be delimited.
 */
public final class BfcpFrameReader {
    /** A sane default bound: far above any message of a floor control server for a few dozen participants. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

    private final InputStream in;
    private final int maxMessageBytes;

    public BfcpFrameReader(InputStream in, int maxMessageBytes) {
        if (maxMessageBytes < BfcpCodec.HEADER_BYTES) {
            throw new IllegalArgumentException("maximum below the header size");
        }
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    public BfcpFrameReader(InputStream in) {
        this(in, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * The next message's bytes, or null at the end of the stream between two messages.
     *
     * @throws BfcpException Unsupported Version or Incorrect Message Length: the stream cannot be read further
     * @throws EOFException the stream ended inside a message
     */
    public byte[] next() throws IOException {
        byte[] header = new byte[BfcpCodec.HEADER_BYTES];
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) {
            return null;
        }
        if (n < header.length) {
            throw new EOFException("stream ended inside a BFCP common header (" + n + " of 12 octets)");
        }
        int version = (header[0] & 0xFF) >>> 5;
        if (version != BfcpEncoder.VERSION) {
            throw new BfcpException(ErrorCode.UNSUPPORTED_VERSION, "version " + version + " on a stream", 0,
                    headerOf(header), java.util.List.of());
        }
        int total = BfcpCodec.HEADER_BYTES + BfcpDecoder.u16(header, 2) * 4;
        if (total > maxMessageBytes) {
            throw new BfcpException(ErrorCode.INCORRECT_MESSAGE_LENGTH, "message of " + total + " octets, at most "
                    + maxMessageBytes, 2, headerOf(header), java.util.List.of());
        }
        byte[] message = Arrays.copyOf(header, total);
        int got = in.readNBytes(message, header.length, total - header.length);
        if (got < total - header.length) {
            throw new EOFException("stream ended inside a BFCP message (" + (header.length + got) + " of " + total
                    + " octets)");
        }
        return message;
    }

    private static org.kmsconf.control.bfcp.message.CommonHeader headerOf(byte[] h) {
        return new org.kmsconf.control.bfcp.message.CommonHeader((h[0] & 0x10) != 0, BfcpDecoder.u32(h, 4),
                BfcpDecoder.u16(h, 8), BfcpDecoder.u16(h, 10));
    }
}
