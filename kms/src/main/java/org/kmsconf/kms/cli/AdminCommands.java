package org.kmsconf.kms.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command groups a running KMS's admin socket executes (the same classes as the CLI). */
@Command(name = "kmsconf", subcommands = {UserCommand.class, ConferenceSystemCommand.class, PolicyCommand.class,
    KmsCommand.class})
public final class AdminCommands implements Runnable {
    private AdminCommands() {
    }

    @Override
    public void run() {
        // a group is always named
    }

    /** A fresh command line for one admin request. */
    public static CommandLine commandLine(List<String> args) {
        return new CommandLine(new AdminCommands());
    }
}
