package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmsconf.kms.admin.AdminClient;

/** Test helper: admin commands sent to a running KMS process's admin socket, as the CLI sends them. */
public final class AdminSocket {
    private AdminSocket() {
    }

    /** Runs one command (e.g. {@code user add ...}) and returns its output; fails the test on a non-zero exit. */
    public static String run(Path socket, String... args) throws Exception {
        AdminClient.Reply r = AdminClient.send(socket, new java.util.ArrayList<>(List.of(args)), new byte[0]);
        assertThat(r).as("a KMS listens on " + socket).isNotNull();
        String err = new String(r.err(), StandardCharsets.UTF_8);
        assertThat(r.exitCode()).as("exit code of " + List.of(args) + "; stderr: " + err).isZero();
        return new String(r.out(), StandardCharsets.UTF_8);
    }

    /** {@code user add} through the socket; the generated key read back from the output. */
    public static ProvisionedKey addUser(Path socket, String user, String uri) throws Exception {
        String out = run(socket, "user", "add", user, "--identity", uri);
        return new ProvisionedKey(user, List.of(uri), HexFormat.of().parseHex(field(out, "key id \\(IDRpsk, hex\\)")),
                HexFormat.of().parseHex(field(out, "pre-shared key \\(hex\\)")));
    }

    static String field(String out, String label) {
        Matcher m = Pattern.compile(label + ":\\s*([0-9a-f]+)").matcher(out);
        assertThat(m.find()).as(label + " in " + out).isTrue();
        return m.group(1);
    }
}
