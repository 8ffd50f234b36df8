package org.kmsconf.kms.cli;

import picocli.CommandLine;

/** {@code kms ...} without the app's launcher: the entry point of a KMS in a JVM of its own ({@link KmsProcess}). */
public final class KmsMain {
    private KmsMain() {
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
