package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The service limits over real sockets (docs/sip.md "Limits"): conferences per creator, participants per
 * conference, the end of an idle conference, and a bounded SIP worker pool and per-source rate answered with 503
 * and Retry-After, while a legitimate user from another source is still served.
 */
class LimitsTest {
    private static final String BOB = "sip:bob@operator";
    private static final String CAROL = "sip:carol@operator";
    private KmsWorld w;
    private UserAgent alice;
    private UserAgent bob;
    private UserAgent carol;
    private final List<RawSip> raws = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        w = new KmsWorld();
        alice = w.ue("alice", "udp");
        bob = w.ue("bob", "udp");
        carol = w.ue("carol", "udp");
    }

    @AfterEach
    void stop() {
        raws.forEach(RawSip::close);
        w.close();
    }

    private ConferenceServer server(Limits limits, Capacity capacity) throws Exception {
        return w.server(w.serverConfig(null, false, null).withLimits(limits).withCapacity(capacity), "udp");
    }

    private static Capacity unlimited() {
        return new Capacity(32, 256, SourceRateLimit.NONE);
    }

    @Test
    void aCreatorOwnsAtMostItsShareOfConferences() throws Exception {
        ConferenceServer cs = server(Limits.DEFAULT.withMaxConferencesPerCreator(2), unlimited());
        String first = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        alice.createConference(KmsWorld.FACTORY, List.of(BOB));
        assertThatThrownBy(() -> alice.createConference(KmsWorld.FACTORY, List.of(BOB)))
                .isInstanceOfSatisfying(FlowFailedException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("owns 2 conferences");
                });
        assertThat(cs.conferences()).hasSize(2);
        bob.createConference(KmsWorld.FACTORY, List.of(CAROL)); // another creator has a share of his own
        alice.join(first);
        alice.leave(first); // the owner's leave ends the conference: her share frees up
        alice.createConference(KmsWorld.FACTORY, List.of(BOB));
    }

    @Test
    void aConferenceHoldsAtMostItsParticipants() throws Exception {
        server(Limits.DEFAULT.withMaxParticipants(2), unlimited());
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB, CAROL)).focusUri();
        alice.join(focus);
        bob.join(focus);
        assertThatThrownBy(() -> carol.join(focus)).isInstanceOfSatisfying(FlowFailedException.class,
                e -> assertThat(e.status()).isEqualTo(486));
        bob.leave(focus);
        carol.join(focus);
    }

    @Test
    void anIdleConferenceEnds() throws Exception {
        ConferenceServer cs = server(Limits.DEFAULT.withIdleExpiry(Duration.ofSeconds(1)), unlimited());
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        bob.join(focus);
        bob.leave(focus);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cs.conference(focus).isPresent() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(cs.conference(focus)).isEmpty();
        assertThatThrownBy(() -> bob.join(focus)).isInstanceOfSatisfying(FlowFailedException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    /** A source over its rate gets 503 with Retry-After; another source is not slowed down. */
    @Test
    void aFloodingSourceIsAnswered503WhileOthersAreServed() throws Exception {
        ConferenceServer cs = server(Limits.DEFAULT, new Capacity(32, 256,
                new SourceRateLimit(20, 20, 1000)));
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        RawSip attacker = new RawSip("127.0.0.2");
        raws.add(attacker);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(attacker.sendAsync(attacker.invite("sip:mallory@operator", focus, cs.contact("udp"), null)));
        }
        bob.join(focus); // from 127.0.0.1: its own budget
        int overloaded = 0;
        for (CompletableFuture<Response> f : answers) {
            Response r = f.get(10, TimeUnit.SECONDS);
            if (r.getStatusCode() == 503) {
                overloaded++;
                RetryAfterHeader ra = (RetryAfterHeader) r.getHeader(RetryAfterHeader.NAME);
                assertThat(ra).isNotNull();
                assertThat(ra.getRetryAfter()).isPositive();
            } else {
                assertThat(r.getStatusCode()).isEqualTo(488); // within its budget: refused for what it is
            }
        }
        assertThat(overloaded).isGreaterThan(100);
        assertThat(cs.overloadRefusals()[0]).isEqualTo(overloaded);
    }

    /** Every worker busy and the queue full: 503 at once, never an unbounded pile of threads. */
    @Test
    void aFullWorkerPoolAnswers503() throws Exception {
        ConferenceServer cs = server(Limits.DEFAULT, new Capacity(1, 1, SourceRateLimit.NONE));
        String focus = alice.createConference(KmsWorld.FACTORY, List.of(BOB)).focusUri();
        KeyAgent agent = w.agentOf(BOB);
        RawSip attacker = new RawSip("127.0.0.3");
        raws.add(attacker);
        List<byte[]> inits = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // each costs a RESOLVE at the KMS: the one worker is busy a while
            inits.add(agent.offer(agent.requestTicket(BOB, List.of(focus)), focus, Ssrcs.UNASSIGNED).message());
        }
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (byte[] init : inits) { // all in one burst, so the worker and its one queue place are taken together
            answers.add(attacker.sendAsync(attacker.invite(BOB, focus, cs.contact("udp"), init)));
        }
        int busy = 0;
        for (CompletableFuture<Response> f : answers) {
            Response r = f.get(10, TimeUnit.SECONDS);
            if (r.getStatusCode() == 503) {
                busy++;
                assertThat(r.getHeader(RetryAfterHeader.NAME)).isNotNull();
            }
        }
        assertThat(busy).isPositive();
        assertThat(cs.overloadRefusals()[1]).isEqualTo(busy);
    }
}
