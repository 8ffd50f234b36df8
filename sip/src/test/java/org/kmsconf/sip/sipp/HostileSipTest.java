package org.kmsconf.sip.sipp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;

/**
 * Hostile SIP input from a tool that is not ours: {@code sipp} (Debian {@code sip-tester}) sends hand-written
 * INVITEs to a real conference server (embedded KMS, real MIKEY-TICKET key agents, real sockets). Each refusal must
 * come as the expected final response with a Warning, and leave the server's state as it was: no conference created,
 * no leg added. Tagged {@code external}: runs with {@code ./mvnw verify -Pexternal}, fails if sipp is missing.
 */
@Tag("external")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileSipTest {
    static final String FACTORY = "sip:factory.conference1@operator";
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String MALLORY = "sip:mallory@operator";

    @TempDir
    Path work;

    private KmsServer kms;
    private KmsClient client;
    private ConferenceServer server;
    private UserAgent alice;
    private KeyAgent bobAgent;
    private KeyAgent malloryAgent;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    private String focus1;
    private String focus2;

    @BeforeAll
    void startTheConferenceSystem() throws Exception {
        Sipp.binary(); // fail first, and loudly, if sipp is not installed
        kms = KmsServer.start(KmsConfig.inMemory().build());
        client = KmsClient.builder().address(kms.uri()).build();
        ProvisionedKey confsys = kms.admin().addUser(NewUser.of("confsys", FACTORY));
        kms.admin().addFactory(FACTORY);
        ProvisionedKey a = kms.admin().addUser(NewUser.of("alice", ALICE).canCreateConferences(true));
        ProvisionedKey b = kms.admin().addUser(NewUser.of("bob", BOB));
        malloryAgent = agent(kms.admin().addUser(NewUser.of("mallory", MALLORY))); // may not create conferences
        Directory directory = new Directory();
        server = ConferenceServer.start(ServerConfig.of(FACTORY, "127.0.0.1", 0, directory, agent(confsys))
                .withTrace(events::add).withTimeout(Duration.ofSeconds(5)));
        server.register(directory, "udp");
        alice = UserAgent.start(UeConfig.of(ALICE, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 40990),
                directory, agent(a)).withTrace(events::add).withTimeout(Duration.ofSeconds(5)));
        directory.put(ALICE, alice.contact("udp"));
        bobAgent = agent(b);
        // two conferences, both allowing bob (real flow 1, through our own user agent)
        focus1 = alice.createConference(FACTORY, List.of(BOB)).focusUri();
        focus2 = alice.createConference(FACTORY, List.of(BOB)).focusUri();
    }

    private KeyAgent agent(ProvisionedKey k) {
        return new MikeyKeyAgent(client, kms.kmsIdentity(), k.keyId(), KeyMaterial.of(k.psk()), AlgorithmSet.SET_128,
                PartyContext.system());
    }

    @AfterAll
    void stop() {
        List<AutoCloseable> sip = new ArrayList<>();
        sip.add(alice);
        sip.add(server);
        SipStacks.closeAll(sip);
        if (client != null) {
            client.close();
        }
        if (kms != null) {
            kms.close();
        }
    }

    /** Bob's TRANSFER_INIT for {@code focus}, made by the real mikey exchanges with a ticket from the real KMS. */
    private String bobsTransferInit(String focus) throws Exception {
        Ticket t = bobAgent.requestTicket(BOB, List.of(focus));
        return Base64.getEncoder().encodeToString(bobAgent.offer(t, focus, Ssrcs.UNASSIGNED).message());
    }

    private Sipp.Outcome sipp(String scenario, String ruri, String keyMgmt) {
        Sipp s = new Sipp(work, scenario).key("ruri", ruri).key("from_uri", BOB);
        if (keyMgmt != null) {
            s.key("key_mgmt", keyMgmt);
        }
        var c = server.contact("udp");
        return s.run(c.host(), c.port(), 20);
    }

    private Map<String, List<String>> state() {
        Map<String, List<String>> m = new java.util.TreeMap<>();
        for (ConferenceState c : server.conferences()) {
            m.put(c.focusUri(), new ArrayList<>(new java.util.TreeSet<>(c.participantSsrcs().keySet())));
        }
        return m;
    }

    @Test
    void inviteWithoutKeyMgmtIsRefusedWith488() {
        var before = state();
        Sipp.Outcome o = sipp("invite-without-key-mgmt.xml", focus1, null);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("refused with 488");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void inviteToTheFactoryWithoutKeyMgmtCreatesNoConference() {
        var before = state();
        Sipp.Outcome o = sipp("invite-without-key-mgmt.xml", FACTORY, null);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void garbageBase64IsRefusedWith488() {
        var before = state();
        Sipp.Outcome o = sipp("invite-garbage-key-mgmt.xml", focus1, null);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("refused with 488");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void replayedTransferInitIsRefused() throws Exception {
        String init = bobsTransferInit(focus1);
        // the genuine INVITE: accepted, bob joins, then hangs up
        Sipp.Outcome first = sipp("invite-key-mgmt-accepted.xml", focus1, init);
        assertThat(first.callSucceeded()).as(first.toString()).isTrue();
        awaitNoLeg(focus1, BOB);
        var before = state();
        // the same bytes again, in a new call: a replay
        Sipp.Outcome replay = sipp("invite-key-mgmt-refused.xml", focus1, init);
        assertThat(replay.callSucceeded()).as(replay.toString()).isTrue();
        assertThat(replay.log()).contains("refused with 488").containsIgnoringCase("replay");
        assertThat(state()).isEqualTo(before);
        assertThat(state().get(focus1)).doesNotContain(BOB);
    }

    @Test
    void ticketForAnotherFocusIsRefused() throws Exception {
        String forFocus1 = bobsTransferInit(focus1);
        var before = state();
        Sipp.Outcome o = sipp("invite-key-mgmt-refused.xml", focus2, forFocus1);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("refused with 403");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void transferInitSentToTheFactoryCreatesNoSecondConferenceWhenReplayed() throws Exception {
        String init = bobsTransferInit(focus1);
        Sipp.Outcome first = sipp("invite-key-mgmt-accepted.xml", focus1, init);
        assertThat(first.callSucceeded()).as(first.toString()).isTrue();
        awaitNoLeg(focus1, BOB);
        var before = state();
        // bob's bytes thrown at the factory: bob may not create conferences and the ticket does not name it
        Sipp.Outcome o = sipp("invite-key-mgmt-refused.xml", FACTORY, init);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).containsPattern("refused with (403|488)");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void updateOfTheAllowedSetByANonOwnerIsRefusedWith403() throws Exception {
        String join = bobsTransferInit(focus1);
        Ticket t = bobAgent.requestTicket(BOB, List.of(focus1, BOB, ALICE));
        String update = Base64.getEncoder().encodeToString(bobAgent.offer(t, focus1, Ssrcs.UNASSIGNED).message());
        List<String> allowedBefore = server.conference(focus1).orElseThrow().allowed();
        var c = server.contact("udp");
        Sipp.Outcome o = new Sipp(work, "update-by-non-owner.xml").key("ruri", focus1).key("from_uri", BOB)
                .key("key_mgmt", join).key("key_mgmt_update", update).run(c.host(), c.port(), 20);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("UPDATE refused with 403");
        assertThat(server.conference(focus1).orElseThrow().allowed()).isEqualTo(allowedBefore);
        awaitNoLeg(focus1, BOB);
    }

    private void awaitNoLeg(String focus, String who) throws InterruptedException {
        long end = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < end && state().getOrDefault(focus, List.of()).contains(who)) {
            Thread.sleep(20);
        }
        assertThat(state().getOrDefault(focus, List.of())).doesNotContain(who);
    }

    /**
     * A creator without the right names a focus URI instead of the factory (the KMS grants such a ticket: it names
     * no factory) and sends it to the factory from sipp: 403 before any KMS exchange, no conference.
     */
    @Test
    void aCreationTicketThatDoesNotNameTheFactoryIsRefusedWith403() throws Exception {
        String guess = focus2.replaceFirst("focus\\d+", "focus1");
        Ticket t = malloryAgent.requestTicket(MALLORY, List.of(guess, BOB));
        String init = Base64.getEncoder().encodeToString(malloryAgent.offer(t, FACTORY, Ssrcs.UNASSIGNED).message());
        var before = state();
        int mark = events.size();
        var c = server.contact("udp");
        Sipp.Outcome o = new Sipp(work, "invite-key-mgmt-refused.xml").key("ruri", FACTORY).key("from_uri", MALLORY)
                .key("key_mgmt", init).run(c.host(), c.port(), 20);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("refused with 403").contains("does not name " + FACTORY);
        assertThat(state()).isEqualTo(before);
        assertThat(events.subList(mark, events.size())).noneMatch(e -> e instanceof FlowEvent.KmsDone);
    }

    /** An INVITE with a valid TRANSFER_INIT to a focus URI nobody allocated: 404, no KMS exchange. */
    @Test
    void anInviteToAnUnallocatedFocusIsRefusedWith404() throws Exception {
        String never = focus1.replaceFirst("focus\\d+", "focus18446744073709551614");
        Ticket t = bobAgent.requestTicket(BOB, List.of(never));
        String init = Base64.getEncoder().encodeToString(bobAgent.offer(t, never, Ssrcs.UNASSIGNED).message());
        int mark = events.size();
        Sipp.Outcome o = sipp("invite-to-unallocated-focus.xml", never, init);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("refused with 404");
        assertThat(events.subList(mark, events.size())).noneMatch(e -> e instanceof FlowEvent.KmsDone);
    }

    /** A participant's UPDATE that moves its media without a TRANSFER_INIT: 488, the leg as it was. */
    @Test
    void anUpdateMovingMediaWithoutMikeyIsRefusedWith488() throws Exception {
        String join = bobsTransferInit(focus1);
        var c = server.contact("udp");
        Sipp.Outcome o = new Sipp(work, "update-without-key-mgmt.xml").key("ruri", focus1).key("from_uri", BOB)
                .key("key_mgmt", join).run(c.host(), c.port(), 20);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        assertThat(o.log()).contains("UPDATE refused with 488");
        awaitNoLeg(focus1, BOB);
    }

    /**
     * sipp floods the conference server from 127.0.0.2 at 400 INVITEs a second: beyond the source's budget the
     * answer is 503 with Retry-After (sipp checks the header); meanwhile a user agent on 127.0.0.1 still joins.
     */
    @Test
    void aFloodFromOneSourceIsAnswered503WithRetryAfterWhileOthersJoin() throws Exception {
        var c = server.contact("udp");
        String focus = alice.createConference(FACTORY, List.of(BOB)).focusUri(); // its own: alice's leave ends it
        long before = server.overloadRefusals()[0];
        java.util.concurrent.CompletableFuture<Sipp.Outcome> flood = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new Sipp(work, "invite-flood.xml").key("ruri", focus1).key("from_uri", MALLORY)
                        .from("127.0.0.2").calls(600, 400).run(c.host(), c.port(), 30));
        Thread.sleep(300);
        var call = alice.join(focus); // from 127.0.0.1: a budget of its own
        assertThat(call.isActive()).isTrue();
        alice.leave(focus);
        Sipp.Outcome o = flood.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(o.callSucceeded()).as(o.toString()).isTrue();
        long overloaded = o.log().lines().filter(l -> l.contains("overloaded: 503 Retry-After")).count();
        assertThat(overloaded).as(o.log()).isGreaterThan(300);
        assertThat(server.overloadRefusals()[0] - before).isEqualTo(overloaded);
    }
}
