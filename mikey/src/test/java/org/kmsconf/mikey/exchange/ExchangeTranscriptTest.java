package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.mikey.message.Ssrc;

/**
 * A complete mode-1 exchange with deterministic randomness and a fixed clock, written as a transcript of every
 * message and the resulting SRTP keys. The committed transcripts pin the wire format byte for byte, and
 * {@code src/test/python/verify_transcript.py} (written from the digest alone, outside the test run because it needs
 * python3 with the {@code cryptography} package) re-derives every MAC, KEMAC, fork and SRTP key of them:
 * {@code python3 src/test/python/verify_transcript.py src/test/resources/org/kmsconf/mikey/exchange/transcript-*.txt}.
 * Regenerate after an intended change (and re-run the verifier) with
 * {@code ./mvnw -B -o test -pl mikey -Dtest=ExchangeTranscriptTest -Dkmsconf.transcript.write=true}.
 */
class ExchangeTranscriptTest {
    static final Path DIR = Path.of("src/test/resources/org/kmsconf/mikey/exchange");

    /** SHA-256 in counter mode: the same bytes on every run (for tests only). */
    static final class DeterministicRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private long counter;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (int off = 0; off < bytes.length; off += 32) {
                    md.update(Long.toString(counter++).getBytes(StandardCharsets.US_ASCII));
                    byte[] block = md.digest();
                    System.arraycopy(block, 0, bytes, off, Math.min(32, bytes.length - off));
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String transcript(AlgorithmSet set) {
        HexFormat hex = HexFormat.of();
        Fixture f = new Fixture(new DeterministicRandom());
        StringBuilder t = new StringBuilder();
        t.append("# kmsconf MIKEY-TICKET mode-1 exchange, ").append(set).append(", deterministic randomness\n");
        t.append("set ").append(set.name()).append('\n');
        t.append("kms ").append(KMS).append('\n');
        t.append("tpk ").append(hex.formatHex(f.tpk.bytes())).append('\n');
        for (String u : List.of(ALICE, BOB)) {
            t.append("psk ").append(u).append(' ').append(hex.formatHex(f.psks.get(u).bytes())).append('\n');
        }
        TicketRequest req = TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE),
                List.of(BOB), set), f.psks.get(ALICE), f.context());
        byte[] reqResp = f.kms.handle(req.message()).response();
        TicketGrant grant = req.processResponse(reqResp);
        TransferInitiator alice = TransferInitiator.create(grant,
                new TransferInitiator.Spec(ALICE, BOB, List.of(Ssrc.of(0x11223344))), f.context());
        TransferResponder bob = TransferResponder.receive(alice.message(), f.context());
        byte[] resInit = bob.resolveInit(BOB, KMS, f.pskIds.get(BOB), f.psks.get(BOB));
        byte[] resResp = f.kms.handle(resInit).response();
        bob.processResolveResponse(resResp);
        TransferResponse resp = bob.respond(List.of(Ssrc.of(0x55667788)));
        TransferResult atAlice = alice.processResponse(resp.message());
        t.append("REQUEST_INIT_PSK ").append(hex.formatHex(req.message())).append('\n');
        t.append("REQUEST_RESP ").append(hex.formatHex(reqResp)).append('\n');
        t.append("TRANSFER_INIT ").append(hex.formatHex(alice.message())).append('\n');
        t.append("RESOLVE_INIT_PSK ").append(hex.formatHex(resInit)).append('\n');
        t.append("RESOLVE_RESP ").append(hex.formatHex(resResp)).append('\n');
        t.append("TRANSFER_RESP ").append(hex.formatHex(resp.message())).append('\n');
        for (int cs : List.of(1, 2)) {
            assertThat(atAlice.keys(cs).sameKeysAs(resp.result().keys(cs))).isTrue();
            t.append("srtp ").append(cs).append(' ').append(hex.formatHex(atAlice.keys(cs).masterKey())).append(' ')
                    .append(hex.formatHex(atAlice.keys(cs).masterSalt())).append('\n');
        }
        return t.toString();
    }

    static String committed(AlgorithmSet set) throws IOException {
        try (InputStream in = ExchangeTranscriptTest.class.getResourceAsStream(fileName(set))) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String fileName(AlgorithmSet set) {
        return "transcript-" + set.name().toLowerCase().replace("set_", "") + ".txt";
    }

    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void theExchangeReproducesTheCommittedTranscript(AlgorithmSet set) throws IOException {
        String now = transcript(set);
        assertThat(transcript(set)).as("deterministic").isEqualTo(now);
        if (Boolean.getBoolean("kmsconf.transcript.write")) {
            Files.writeString(DIR.resolve(fileName(set)), now);
        }
        assertThat(now).isEqualTo(committed(set));
    }
}
