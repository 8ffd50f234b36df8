package org.kmsconf.bench.flood;

import java.util.List;
import java.util.Random;

/**
 * What a {@link Flood} attacks and what it must keep serving. An implementation knows its protocol: the attack messages
 * (each of a named kind), how to send one, and one legitimate operation whose refusal counts as a failure of the
 * target. {@link KmsFloodTarget} floods a KMS over HTTP; {@code org.kmsconf.bench.sip.ConferenceFloodTarget} floods a
 * conference server with SIP INVITEs over UDP and uses one authenticated join as its legitimate operation
 * (docs/performance.md, "Flood").
 */
public interface FloodTarget extends AutoCloseable {

    /** The attack kinds this target can send (e.g. GARBAGE, UNKNOWN_KEY); a flood sends the ones it is given. */
    List<String> kinds();

    /** One attacker connection / socket per attacking thread. */
    interface Attacker extends AutoCloseable {
        /** Sends one attack message of {@code kind}; returns how the target answered (a short label), never throws. */
        String send(String kind, Random random);

        @Override
        void close();
    }

    Attacker attacker(int thread) throws Exception;

    /**
     * One legitimate operation (e.g. a REQUEST then a RESOLVE), end to end; throws if the target refused or failed
     * it. Called by one thread in a loop while the attack runs.
     */
    void legitimate() throws Exception;

    @Override
    void close();
}
