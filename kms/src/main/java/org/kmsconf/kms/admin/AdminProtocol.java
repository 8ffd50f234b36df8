package org.kmsconf.kms.admin;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The admin socket's framing: one request, one reply, then the connection closes. Request: magic, argument count,
 * each argument (length-prefixed UTF-8), input bytes (length-prefixed; a PSK being imported). Reply: exit code,
 * standard output, standard error (length-prefixed). Sizes are bounded on read.
 */
final class AdminProtocol {
    static final int MAGIC = 0x4b4d5341; // "KMSA"
    static final int MAX_ARGS = 256;
    static final int MAX_BYTES = 1 << 20;

    private AdminProtocol() {
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("admin frame of " + n + " bytes");
        }
        return in.readNBytes(n);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
