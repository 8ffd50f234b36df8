package org.kmsconf.kms.cli;

import java.io.IOException;
import picocli.CommandLine.Option;

/** The options of a command that gives a user a pre-shared key: generated (its size) or imported (picocli mixin). */
final class PskOptions {
    @Option(names = "--psk-bits", paramLabel = "128|256", description = "Size of the generated PSK (default 128).")
    int bits = 128;

    @Option(names = "--psk-file", paramLabel = "FILE|-",
            description = "Import the PSK (32 or 64 hex digits) from this file, or from standard input with -.")
    String pskFile;

    @Option(names = "--psk-env", paramLabel = "VAR",
            description = "Import the PSK (32 or 64 hex digits) from this environment variable.")
    String pskEnv;

    /** The PSK to import (file, standard input or environment variable), or null to generate one. */
    byte[] imported() throws IOException {
        if (pskFile != null && pskEnv != null) {
            throw new IllegalArgumentException("give the PSK with --psk-file or --psk-env, not both");
        }
        return pskFile == null && pskEnv == null ? null : PskInput.bytes(pskFile, pskEnv);
    }
}
