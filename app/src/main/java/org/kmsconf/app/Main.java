package org.kmsconf.app;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kmsconf.app.config.Logging;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code kmsconf} command line. Each subcommand lives with the module that owns it; this class only
 * assembles them and maps failures to exit codes (0 ok, 1 a check failed, 2 bad input or usage).
 */
@Command(
        name = "kmsconf",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "KMS-based key management for secure conferencing (3GPP TR 33.829 clause 5.3.3):",
            "MIKEY-TICKET (RFC 6043) mode 1 with key forking, carried in SIP/SDP (RFC 4567), protecting SRTP media."
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            org.kmsconf.kms.cli.KmsCommand.class,
            org.kmsconf.kms.cli.UserCommand.class,
            org.kmsconf.kms.cli.ConferenceSystemCommand.class,
            org.kmsconf.kms.cli.PolicyCommand.class,
            org.kmsconf.app.mikey.MikeyCommand.class,
            org.kmsconf.app.demo.DemoCommand.class,
            org.kmsconf.app.conference.ConferenceCommand.class,
            org.kmsconf.app.ue.UeCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    /**
     * The command line for {@code args}: output in UTF-8 whatever the locale (the demo prints ✓ and arrows), and,
     * when {@code --config FILE} is given, that properties file supplies every option not given on the command line
     * (key = the option's long name without dashes, e.g. {@code sip-listen=127.0.0.1:5060}).
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Path config = args.length > 0 && CONFIG_FILE_COMMANDS.contains(args[0]) ? configFile(args) : null;
        if (config != null && Files.isReadable(config)) {
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config.toFile()));
        }
        return cl;
    }

    /** Commands whose {@code --config} file is a properties file of their options (others read their own format). */
    private static final java.util.Set<String> CONFIG_FILE_COMMANDS = java.util.Set.of("conference", "ue");

    /** The value of the first {@code --config} option, if any (read before parsing so it can supply defaults). */
    static Path configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                return null;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    public static void main(String[] args) {
        Logging.install();
        int code = commandLine(args).execute(args);
        // JAIN-SIP's stop() leaves a non-daemon thread behind (docs/sip.md "JAIN-SIP set-up", pitfall 3): exit
        // explicitly.
        System.exit(code);
    }
}
