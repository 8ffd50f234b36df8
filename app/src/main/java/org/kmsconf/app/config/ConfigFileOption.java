package org.kmsconf.app.config;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} of the commands whose options may come from a properties file. {@code Main} reads the file
 * before parsing, as defaults, and skips one it cannot read: the command then refuses to run without it.
 */
public final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file supplying options not given here.")
    public Path file;

    public void requireReadable() {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read --config " + file);
        }
    }
}
