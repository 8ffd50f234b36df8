package org.kmsconf.mikey.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.kmsconf.mikey.MikeyException;

/**
 * Coverage-guided fuzzing of everything a receiver decodes from untrusted bytes ({@link DecodeTarget}) with Jazzer.
 * In the normal test run this replays the committed corpus in
 * {@code src/test/resources/org/kmsconf/mikey/fuzz/MikeyDecodeFuzzTestInputs/decode/} (one valid message of every
 * data type, plus every input that once found a bug). With {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code maxDuration} and writes new crashing inputs into that directory (see the module README, "Fuzzing").
 */
class MikeyDecodeFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        try {
            DecodeTarget.decodeEverything(input);
        } catch (MikeyException refused) {
            // the one allowed way to fail
        }
    }
}
