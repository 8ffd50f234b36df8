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
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.message.Ssrc;

/**
 * A complete mode-1 exchange with deterministic randomness and a fixed clock, written as a transcript of every
 * message and the resulting SRTP keys. The committed transcripts pin the wire format byte for byte, and
 * {@code src/test/python/verify_transcript.py} (written from the RFCs and docs/profile.md alone, outside the test run
 * because it needs
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
        return transcript(set, false);
    }

    /**
     * {@code focusLeg}: Alice calls the focus with floor control, so the exchange also keys CS 0xB0 and 0xE0
     * (docs/profile.md §6, kmsconf extension) and the transcript ends with their keys ({@code key b0 ...}); the focus
     * resolves with the conference system's PSK, written as the PSK of the focus URI.
     */
    static String transcript(AlgorithmSet set, boolean focusLeg) {
        HexFormat hex = HexFormat.of();
        Fixture f = new Fixture(new DeterministicRandom());
        String peer = focusLeg ? Fixture.FOCUS7 : BOB;
        String peerPsk = focusLeg ? Fixture.FACTORY : BOB;
        StringBuilder t = new StringBuilder();
        t.append("# kmsconf MIKEY-TICKET mode-1 exchange, ").append(set)
                .append(focusLeg ? ", a leg to a focus with floor control" : "")
                .append(", deterministic randomness\n");
        t.append("set ").append(set.name()).append('\n');
        t.append("kms ").append(KMS).append('\n');
        t.append("tpk ").append(hex.formatHex(f.tpk.bytes())).append('\n');
        t.append("psk ").append(ALICE).append(' ').append(hex.formatHex(f.psks.get(ALICE).bytes())).append('\n');
        t.append("psk ").append(peer).append(' ').append(hex.formatHex(f.psks.get(peerPsk).bytes())).append('\n');
        TicketRequest req = TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE),
                List.of(peer), set), f.psks.get(ALICE), f.context());
        byte[] reqResp = f.kms.handle(req.message()).response();
        TicketGrant grant = req.processResponse(reqResp);
        TransferInitiator alice = TransferInitiator.create(grant, focusLeg
                ? TransferInitiator.Spec.conferenceLeg(ALICE, peer, List.of(Ssrc.of(0x11223344)), true)
                : new TransferInitiator.Spec(ALICE, peer, List.of(Ssrc.of(0x11223344))), f.context());
        TransferResponder bob = TransferResponder.receive(alice.message(), f.context());
        byte[] resInit = bob.resolveInit(peer, KMS, f.pskIds.get(peerPsk), f.psks.get(peerPsk));
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
        for (NonMediaSession s : atAlice.nonMediaSessions()) {
            KeyMaterial k = atAlice.nonMediaKey(s).orElseThrow();
            assertThat(k).isEqualTo(resp.result().nonMediaKey(s).orElseThrow());
            t.append("key ").append(Integer.toHexString(s.csId())).append(' ').append(hex.formatHex(k.bytes()))
                    .append('\n');
        }
        return t.toString();
    }

    static String committed(AlgorithmSet set) throws IOException {
        try (InputStream in = ExchangeTranscriptTest.class.getResourceAsStream(fileName(set))) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String committed(AlgorithmSet set, boolean focusLeg) throws IOException {
        try (InputStream in = ExchangeTranscriptTest.class.getResourceAsStream(fileName(set, focusLeg))) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String fileName(AlgorithmSet set) {
        return fileName(set, false);
    }

    static String fileName(AlgorithmSet set, boolean focusLeg) {
        return "transcript-" + (focusLeg ? "focus-" : "") + set.name().toLowerCase().replace("set_", "") + ".txt";
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

    /** The same for a leg to a focus with floor control: CS 1, 2, 0xB0, 0xE0 and the two non-media keys. */
    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void aFocusLegWithFloorControlReproducesItsCommittedTranscript(AlgorithmSet set) throws IOException {
        String now = transcript(set, true);
        assertThat(transcript(set, true)).as("deterministic").isEqualTo(now);
        if (Boolean.getBoolean("kmsconf.transcript.write")) {
            Files.writeString(DIR.resolve(fileName(set, true)), now);
        }
        assertThat(now).contains("key b0 ", "key e0 ");
        assertThat(now).isEqualTo(committed(set, true));
    }
}
