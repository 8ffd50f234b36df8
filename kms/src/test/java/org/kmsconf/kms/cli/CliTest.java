package org.kmsconf.kms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The admin commands on an H2 file store, as the {@code kmsconf} launcher runs them. */
class CliTest {
    @TempDir
    Path dir;

    @Command(name = "kmsconf", subcommands = {KmsCommand.class, UserCommand.class, ConferenceSystemCommand.class,
        PolicyCommand.class})
    static final class Root {
    }

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(new Root());
            cl.setErr(new PrintWriter(picoErr, true));
            cl.setOut(new PrintWriter(System.out, true));
            // the same mapping as the app's error handler: one line, 2 for bad input
            cl.setExecutionExceptionHandler((ex, c, p) -> {
                c.getErr().println("kmsconf: " + ex.getMessage());
                return ex instanceof IllegalArgumentException ? 2 : 1;
            });
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8) + picoErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void initAddListShowRotateDisableFactoryAndPolicy() throws Exception {
        String d = dir.toString();
        Run init = run("kms", "init", "--data-dir", d);
        assertThat(init.code()).isZero();
        assertThat(Files.exists(dir.resolve("master.key"))).isTrue();

        Run add = run("user", "add", "alice", "--data-dir", d, "--identity", "sip:alice@operator",
                "--identity", "sip:alice.mobile@operator", "--can-create-conferences", "--psk-bits", "256");
        assertThat(add.code()).isZero();
        assertThat(add.out()).containsPattern("pre-shared key \\(hex\\): [0-9a-f]{64}");
        assertThat(add.err()).contains("only time the KMS shows this pre-shared key");
        String psk = add.out().replaceAll("(?s).*pre-shared key \\(hex\\): ([0-9a-f]{64}).*", "$1");

        Run list = run("user", "list", "--data-dir", d);
        assertThat(list.out()).contains("alice").contains("sip:alice.mobile@operator").doesNotContain(psk);
        Run show = run("user", "show", "alice", "--data-dir", d);
        assertThat(show.out()).contains("can create conferences: true").doesNotContain(psk);

        Path pskFile = dir.resolve("confsys.psk");
        Files.writeString(pskFile, "000102030405060708090a0b0c0d0e0f\n");
        Run imported = run("user", "add", "confsys", "--data-dir", d, "--identity", "sip:factory.conference1@operator",
                "--psk-file", pskFile.toString());
        assertThat(imported.out()).contains("imported").doesNotContain("000102030405060708090a0b0c0d0e0f");
        Run factory = run("conference-system", "add-factory", "sip:factory.conference1@operator", "--data-dir", d);
        assertThat(factory.code()).isZero();
        assertThat(factory.out()).contains("sip:focus7.conference1@operator");

        Run rotate = run("user", "rotate-key", "alice", "--data-dir", d);
        assertThat(rotate.code()).isZero();
        assertThat(rotate.out()).containsPattern("pre-shared key \\(hex\\): [0-9a-f]{32}").doesNotContain(psk);

        assertThat(run("policy", "deny", "--from", "sip:*@partner.example", "--to", "*", "--data-dir", d).out())
                .contains("rule 1: DENY");
        assertThat(run("policy", "list", "--data-dir", d).out()).contains("DENY sip:*@partner.example -> *");
        assertThat(run("user", "disable", "alice", "--data-dir", d).code()).isZero();
        assertThat(run("user", "show", "alice", "--data-dir", d).out()).contains("enabled:                false");
        assertThat(run("kms", "audit", "--data-dir", d).out()).contains("user disabled").doesNotContain(psk);
        assertThat(run("kms", "audit", "--purge-older-than", "1d", "--data-dir", d).out())
                .contains("0 audit records deleted");
        assertThat(run("kms", "audit", "--purge-older-than", "0s", "--data-dir", d).out())
                .containsPattern("[1-9][0-9]* audit records deleted");
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        String d = dir.toString();
        assertThat(run("kms", "init", "--data-dir", d).code()).isZero();
        Run r = run("user", "add", "bob", "--data-dir", d, "--identity", "not a uri");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("kmsconf: invalid public identity").doesNotContain("\n\tat ");
        // a key on the command line is not even an option any more (it would show in ps)
        r = run("user", "add", "bob", "--data-dir", d, "--identity", "sip:bob@o", "--psk-hex", "abc");
        assertThat(r.code()).isEqualTo(2);
        r = run("user", "add", "bob", "--data-dir", d, "--identity", "sip:bob@o", "--psk-env", "KMSCONF_NO_SUCH_VAR");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("KMSCONF_NO_SUCH_VAR is not set");
        r = run("user", "show", "nobody", "--data-dir", d);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such user: nobody");
        r = run("user", "add", "--data-dir", d);
        assertThat(r.code()).isEqualTo(2); // picocli usage error: missing parameter
        r = run("user", "list", "--data-dir", dir.resolve("never-initialised").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no master key");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"kms", "serve"}, {"kms", "init"}, {"user", "add"}, {"user", "rotate-key"},
            {"conference-system", "add-factory"}, {"policy", "allow"}, {"policy", "list"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Run r = run(args);
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage:");
        }
    }
}
