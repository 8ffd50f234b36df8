package org.kmsconf.kms.admin;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Sends one admin command to a running KMS's admin socket ({@link AdminSocketServer}). */
public final class AdminClient {
    /** What the command printed and its exit code, as run inside the KMS. */
    public record Reply(int exitCode, byte[] out, byte[] err) {
    }

    private AdminClient() {
    }

    /**
     * @return the reply, or null when nothing listens on {@code socket} (a file left by a KMS that died)
     * @throws IOException when a KMS listens but the exchange fails
     */
    public static Reply send(Path socket, List<String> args, byte[] input) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (java.net.SocketException e) {
            return null;
        }
        try (ch; DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch))) {
            out.writeInt(AdminProtocol.MAGIC);
            out.writeInt(args.size());
            for (String a : args) {
                AdminProtocol.writeBytes(out, a.getBytes(StandardCharsets.UTF_8));
            }
            AdminProtocol.writeBytes(out, input == null ? new byte[0] : input);
            out.flush();
            int code = in.readInt();
            byte[] o = AdminProtocol.readBytes(in);
            byte[] e = AdminProtocol.readBytes(in);
            return new Reply(code, o, e);
        } finally {
            if (input != null) {
                java.util.Arrays.fill(input, (byte) 0);
            }
        }
    }
}
