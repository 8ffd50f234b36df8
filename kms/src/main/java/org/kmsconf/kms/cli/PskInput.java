package org.kmsconf.kms.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A pre-shared key to import, from a file, standard input ({@code -}) or an environment variable: never from an
 * argument, which any local user can read in the process list.
 */
final class PskInput {
    private PskInput() {
    }

    /** The key as hex digits (surrounding white space removed); exactly one of the two must be given. */
    static String read(String file, String envVar) throws IOException {
        String v;
        if (envVar != null) {
            v = System.getenv(envVar);
            if (v == null) {
                throw new IllegalArgumentException("environment variable " + envVar + " is not set");
            }
        } else if ("-".equals(file)) {
            v = new String(AdminContext.in().readNBytes(1024), StandardCharsets.US_ASCII);
        } else {
            v = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        }
        // the format of the UE's and conference server's --psk-file: hex digits, '#' comment lines allowed
        StringBuilder hex = new StringBuilder();
        for (String line : v.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                hex.append(l);
            }
        }
        v = hex.toString();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("the PSK input is empty");
        }
        return v;
    }

    /** The key bytes; 32 or 64 hex digits. */
    static byte[] bytes(String file, String envVar) throws IOException {
        String hex = read(file, envVar);
        try {
            byte[] k = HexFormat.of().parseHex(hex);
            if (k.length != 16 && k.length != 32) {
                throw new IllegalArgumentException("a PSK has 32 or 64 hex digits (128 or 256 bit), got "
                        + hex.length());
            }
            return k;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("a PSK")) {
                throw e;
            }
            throw new IllegalArgumentException("the PSK input is not an even number of hex digits");
        }
    }
}
