package org.kmsconf.bench.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.admin.AdminClient;

/**
 * Provisions a running KMS through its admin socket, as {@code kmsconf user add} does while the KMS runs (its
 * embedded store is locked and has no network listener).
 */
public final class RemoteAdmin {
    private final Path socket;

    public RemoteAdmin(Path socket) {
        this.socket = socket;
    }

    /** Runs one admin command; its standard output, or an exception with its error text. */
    public String run(String... args) throws IOException {
        AdminClient.Reply r = AdminClient.send(socket, new ArrayList<>(List.of(args)), new byte[0]);
        if (r == null) {
            throw new IOException("no KMS listens on the admin socket " + socket);
        }
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", args) + ": " + new String(r.err(), StandardCharsets.UTF_8).strip());
        }
        return new String(r.out(), StandardCharsets.UTF_8);
    }

    /** {@code user add USER --identity URI [--can-create-conferences]}; the generated key read from the output. */
    public ProvisionedKey addUser(String user, String uri, boolean canCreateConferences) throws IOException {
        String out = canCreateConferences ? run("user", "add", user, "--identity", uri, "--can-create-conferences")
                : run("user", "add", user, "--identity", uri);
        return new ProvisionedKey(user, List.of(uri), HexFormat.of().parseHex(field(out, "key id \\(IDRpsk, hex\\)")),
                HexFormat.of().parseHex(field(out, "pre-shared key \\(hex\\)")));
    }

    private static String field(String out, String label) throws IOException {
        Matcher m = Pattern.compile(label + ":\\s*([0-9a-f]+)").matcher(out);
        if (!m.find()) {
            throw new IOException("no " + label + " in: " + out);
        }
        return m.group(1);
    }
}
