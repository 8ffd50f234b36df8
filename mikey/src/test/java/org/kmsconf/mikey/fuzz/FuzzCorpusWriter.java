package org.kmsconf.mikey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * (Re)writes the seed corpus of {@link MikeyDecodeFuzzTest} from {@link SampleMessages}: one file per data type.
 * Run from the repository root when the sample messages change:
 * {@code ./mvnw -B -o test -pl mikey -Dtest=FuzzCorpusWriter -Dkmsconf.fuzz.writeCorpus=true}
 */
class FuzzCorpusWriter {
    static final Path CORPUS = Path.of("src/test/resources/org/kmsconf/mikey/fuzz/MikeyDecodeFuzzTestInputs/decode");

    @Test
    @EnabledIfSystemProperty(named = "kmsconf.fuzz.writeCorpus", matches = "true")
    void writeSeedCorpus() throws IOException {
        Files.createDirectories(CORPUS);
        for (Map.Entry<String, byte[]> e : SampleMessages.all().entrySet()) {
            Files.write(CORPUS.resolve("seed-" + e.getKey()), e.getValue());
        }
        assertThat(CORPUS.resolve("seed-TRANSFER_INIT")).exists();
    }
}
