package org.kmsconf.app.conference;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code kmsconf conference ...}: the conference system (factory + focus). */
@Command(name = "conference", mixinStandardHelpOptions = true,
        description = "The conference system of TR 33.829 clause 5.3.3: conference factory and foci.",
        subcommands = {ConferenceServeCommand.class, ConferenceAdminCommand.class, CommandLine.HelpCommand.class})
public final class ConferenceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
