package org.kmsconf.app.config;

import picocli.CommandLine.Option;

/** The {@code -v} option of every long-running command: {@code -v} logs at INFO, {@code -vv} at DEBUG. */
public final class Verbosity {
    @Option(names = {"-v", "--verbose"}, description = "Log more on stderr: -v at INFO, -vv at DEBUG (default WARN).")
    boolean[] verbose = new boolean[0];

    /** Whether -v was given at least once. */
    public boolean verbose() {
        return verbose.length > 0;
    }

    /** Applies the level; call first thing in the command. */
    public void apply() {
        Logging.verbosity(verbose.length);
    }
}
