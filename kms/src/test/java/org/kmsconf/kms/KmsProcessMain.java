package org.kmsconf.kms;

import org.kmsconf.kms.cli.KmsCommand;
import picocli.CommandLine;

/** Runs {@code kms ...} in its own JVM for the durability test (the app's launcher is not on kms's classpath). */
public final class KmsProcessMain {
    private KmsProcessMain() {
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
