package org.kmsconf.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
