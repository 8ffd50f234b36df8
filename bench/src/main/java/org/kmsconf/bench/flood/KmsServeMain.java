package org.kmsconf.bench.flood;

import org.kmsconf.kms.cli.KmsCommand;
import picocli.CommandLine;

/** {@code kms ...} in a JVM of its own, for the flood driver's spawned KMS (the app's launcher is not needed). */
public final class KmsServeMain {
    private KmsServeMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new KmsCommand());
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            System.err.println("kmsconf: " + ex.getMessage());
            return 1;
        });
        int code = cl.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
