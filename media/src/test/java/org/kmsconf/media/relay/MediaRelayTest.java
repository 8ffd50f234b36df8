package org.kmsconf.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kmsconf.media.relay.Participants.LOOPBACK;
import static org.kmsconf.media.relay.Participants.randomKeys;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.RtpStats;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.media.srtp.PacketBuffer;
import org.kmsconf.media.srtp.SrtpContext;
import org.kmsconf.media.srtp.SrtpStatus;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.message.Ssrc;

/** The relay over real UDP sockets on loopback. */
class MediaRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int FRAMES = 40;

    private final List<AutoCloseable> open = new ArrayList<>();

    record Party(String uri, RtpEndpoint ep, RelayLeg leg, SrtpKeys up, SrtpKeys down) {
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private MediaRelay relay() {
        MediaRelay r = MediaRelay.start(LOOPBACK);
        open.add(r);
        return r;
    }

    private Party join(RelayConference conf, String uri, SrtpPolicy profile) {
        SrtpKeys up = randomKeys(1, profile);
        SrtpKeys down = randomKeys(2, profile);
        Ssrc ssrc = conf.ssrcs().assign(uri);
        RtpEndpoint ep = RtpEndpoint.open(LOOPBACK, ssrc, up, down);
        open.add(ep);
        RelayLeg leg = conf.addLeg(uri, ep.localAddress(), ssrc, up, down);
        ep.remote(leg.localAddress());
        return new Party(uri, ep, leg, up, down);
    }

    private List<Party> conference(MediaRelay relay, int n, SrtpPolicy profile) {
        RelayConference conf = relay.conference("conf-" + n);
        List<Party> parties = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parties.add(join(conf, "sip:p" + i + "@example.org", profile));
        }
        return parties;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void everyoneHearsEveryoneElseWithNoAuthenticationFailures(int n) throws InterruptedException {
        MediaRelay relay = relay();
        List<Party> parties = conference(relay, n, SrtpPolicy.DEFAULT);
        for (Party p : parties) {
            p.ep().send(new ToneSource(300 + 100 * parties.indexOf(p), 0.5), FRAMES, Duration.ofMillis(1));
            p.ep().sendSenderReport();
        }
        for (Party rx : parties) {
            for (Party tx : parties) {
                if (tx != rx) {
                    assertThat(rx.ep().awaitReceived(tx.ep().ssrc(), FRAMES, WAIT))
                            .as("%s hears %s", rx.uri(), tx.uri()).isTrue();
                }
            }
        }
        awaitRtcp(parties, n - 1); // the sender reports went out last: once they are in, every leg is done
        for (Party p : parties) {
            RtpStats s = p.ep().stats();
            assertThat(s.rejected()).as("rejected at %s", p.uri()).isZero();
            assertThat(s.authenticatedFrom(p.ep().ssrc())).as("own stream echoed").isZero();
            assertThat(s.authenticated()).isEqualTo((long) FRAMES * (n - 1));
            LegStats l = p.leg().stats();
            assertThat(l.authenticated()).isEqualTo(FRAMES + 1);
            assertThat(l.rejected()).isZero();
        }
        // the relay counts a packet after its send returns, which may be after the receiver has it
        awaitRelayed(relay, (long) (FRAMES + 1) * n * (n - 1));
        assertThat(relay.stats().relayedOut()).isEqualTo((long) (FRAMES + 1) * n * (n - 1));
    }

    /**
     * A participant sends an SRTCP compound under its own key whose first report is its own but whose SDES speaks
     * for another participant's SSRC: the relay refuses the whole compound (every source is checked, not the first).
     */
    @Test
    void anRtcpCompoundSpeakingForAnotherSourceIsNotRelayed() throws Exception {
        MediaRelay relay = relay();
        List<Party> parties = conference(relay, 3, SrtpPolicy.DEFAULT);
        Party bob = parties.get(1);
        Party carol = parties.get(2);
        for (Party p : parties) {
            p.ep().send(new ToneSource(), 1, Duration.ZERO); // the relay learns where everyone listens
        }
        awaitRelayed(relay, 6);
        int me = bob.ep().ssrc().bits();
        int other = carol.ep().ssrc().bits();
        byte[] good = RtcpCompoundTest.compound(RtcpCompoundTest.sr(me), RtcpCompoundTest.sdes(me));
        byte[] forged = RtcpCompoundTest.compound(RtcpCompoundTest.sr(me), RtcpCompoundTest.sdes(other));
        try (SrtpContext tx = SrtpContext.sender(bob.up()); DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            for (byte[] rtcp : List.of(forged, good)) {
                PacketBuffer p = PacketBuffer.allocate(256);
                System.arraycopy(rtcp, 0, p.array(), 0, rtcp.length);
                p.set(0, rtcp.length);
                assertThat(tx.protectRtcp(p)).isEqualTo(SrtpStatus.OK);
                s.send(new DatagramPacket(p.array(), p.offset(), p.length(), bob.leg().localAddress()));
            }
        }
        awaitRelayed(relay, 8); // the good compound reached the two others
        Thread.sleep(100);
        assertThat(bob.leg().stats().rejectedSsrc()).isEqualTo(1);
        assertThat(relay.stats().relayedOut()).isEqualTo(8);
    }

    /**
     * Floor control of the audio: nobody holds the floor, so nobody's RTP is relayed (counted as dropped); the
     * floor goes to b: only b is heard; it moves to c: only c is heard from then on. RTCP passes throughout.
     */
    @Test
    void underFloorControlOnlyTheHoldersAudioIsRelayedAndTheRelayFollowsTheFloor() throws Exception {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("floor");
        Party a = join(conf, "sip:a@example.org", SrtpPolicy.DEFAULT);
        Party b = join(conf, "sip:b@example.org", SrtpPolicy.DEFAULT);
        Party c = join(conf, "sip:c@example.org", SrtpPolicy.DEFAULT);
        conf.floorControl(true);
        assertThat(conf.floorHolder()).isEmpty();
        b.ep().send(new ToneSource(), 5, Duration.ZERO);
        c.ep().send(new ToneSource(), 5, Duration.ZERO);
        a.ep().sendSenderReport();
        awaitRelayed(relay, 2); // a's SR reached b and c; the RTP before it was dropped
        awaitDropped(b.leg(), 5);
        awaitDropped(c.leg(), 5);
        assertThat(a.ep().stats().authenticated()).isZero();

        conf.floorHolder(Optional.of(b.uri()));
        b.ep().send(new ToneSource(), FRAMES, Duration.ZERO);
        c.ep().send(new ToneSource(), FRAMES, Duration.ZERO);
        assertThat(a.ep().awaitReceived(b.ep().ssrc(), FRAMES, WAIT)).isTrue();
        assertThat(c.ep().awaitReceived(b.ep().ssrc(), FRAMES, WAIT)).isTrue();
        awaitDropped(c.leg(), 5 + FRAMES);

        conf.floorHolder(Optional.of(c.uri()));
        b.ep().send(new ToneSource(), FRAMES, Duration.ZERO);
        c.ep().send(new ToneSource(), FRAMES, Duration.ZERO);
        assertThat(a.ep().awaitReceived(c.ep().ssrc(), FRAMES, WAIT)).isTrue();
        awaitDropped(b.leg(), 5 + FRAMES);
        assertThat(a.ep().stats().authenticatedFrom(b.ep().ssrc())).isEqualTo(FRAMES);
        assertThat(a.ep().stats().authenticatedFrom(c.ep().ssrc())).isEqualTo(FRAMES);
        assertThat(b.leg().stats().floorDropped()).isEqualTo(5 + FRAMES);
        assertThat(c.leg().stats().floorDropped()).isEqualTo(5 + FRAMES);
        assertThat(a.ep().stats().rejected() + b.ep().stats().rejected() + c.ep().stats().rejected()).isZero();

        conf.floorControl(false);
        b.ep().send(new ToneSource(), 3, Duration.ZERO);
        assertThat(a.ep().awaitReceived(b.ep().ssrc(), FRAMES + 3, WAIT)).isTrue();
    }

    private static void awaitDropped(RelayLeg leg, long n) {
        assertThat(awaitAtLeast(() -> leg.stats().floorDropped(), n)).isEqualTo(n);
    }

    private static void awaitRelayed(MediaRelay relay, long n) {
        assertThat(awaitAtLeast(() -> relay.stats().relayedOut(), n)).isGreaterThanOrEqualTo(n);
    }

    /**
     * The counter once it reaches {@code n}, or at {@link #WAIT}: the relay counts a packet after its send returns,
     * so a receiver can hold a packet before the relay's counter shows it.
     */
    private static long awaitAtLeast(java.util.function.LongSupplier counter, long n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() < n && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // leaves the relay thread the core
        }
        return counter.getAsLong();
    }

    @Test
    void legsWithDifferentPoliciesHearEachOtherEachUnderItsOwnLegsPolicy() {
        // One conference, three negotiated policies: every packet is unprotected under its sender's leg policy and
        // protected again under each receiver's; each participant authenticates with its own leg's policy only.
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("mixed");
        List<Party> parties = List.of(join(conf, "sip:a@example.org", SrtpPolicy.AES_CM_128_HMAC_SHA1_80),
                join(conf, "sip:b@example.org", SrtpPolicy.AES_CM_128_HMAC_SHA1_32),
                join(conf, "sip:c@example.org", SrtpPolicy.AES_256_CM_HMAC_SHA1_80));
        for (Party p : parties) {
            assertThat(p.leg().inboundPolicy()).isEqualTo(p.up().policy());
            assertThat(p.leg().outboundPolicy()).isEqualTo(p.down().policy());
            p.ep().send(new ToneSource(400 + 100 * parties.indexOf(p), 0.5), FRAMES, Duration.ofMillis(1));
            p.ep().sendSenderReport();
        }
        for (Party rx : parties) {
            for (Party tx : parties) {
                if (tx != rx) {
                    assertThat(rx.ep().awaitReceived(tx.ep().ssrc(), FRAMES, WAIT))
                            .as("%s (%s) hears %s (%s)", rx.uri(), rx.down().policy(), tx.uri(), tx.up().policy())
                            .isTrue();
                }
            }
        }
        awaitRtcp(parties, 2);
        for (Party p : parties) {
            assertThat(p.ep().stats().rejected()).as("rejected at %s", p.uri()).isZero();
            assertThat(p.ep().stats().authenticated()).isEqualTo(2L * FRAMES);
            assertThat(p.leg().stats().authenticated()).isEqualTo(FRAMES + 1);
            assertThat(p.leg().stats().rejected()).isZero();
        }
    }

    @Test
    void aParticipantSendingWithAnotherPolicyThanItsLegsNegotiatedOneIsRejected() throws Exception {
        // The leg was negotiated for AES_CM_128_HMAC_SHA1_32; a sender using 80-bit tags under the same key (what a
        // key-length guess would do) fails authentication at the relay, packet for packet, and reaches nobody.
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("guess");
        Party listener = join(conf, "sip:l@example.org", SrtpPolicy.DEFAULT);
        String uri = "sip:short@example.org";
        SrtpKeys up = randomKeys(1, SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        Ssrc ssrc = conf.ssrcs().assign(uri);
        DatagramSocket sock = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        open.add(sock);
        RelayLeg leg = conf.addLeg(uri, (InetSocketAddress) sock.getLocalSocketAddress(), ssrc, up,
                randomKeys(2, SrtpPolicy.AES_CM_128_HMAC_SHA1_32));
        SrtpKeys guessed = new SrtpKeys(1, up.masterKey(), up.masterSalt(), SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
        sendSeqs(sock, SrtpContext.sender(guessed), ssrc, leg.localAddress(), 100, 10);
        sendSeqs(sock, SrtpContext.sender(up), ssrc, leg.localAddress(), 110, 3);
        assertThat(listener.ep().awaitReceived(ssrc, 3, WAIT)).isTrue();
        assertThat(leg.stats().rejectedAuth()).isEqualTo(10);
        assertThat(leg.stats().authenticated()).isEqualTo(3);
        assertThat(listener.ep().stats().received()).isEqualTo(3);
    }

    @Test
    void theRelayProtectsEachLegsCopyWithThatLegsTagLength() throws Exception {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("tags");
        Party speaker = join(conf, "sip:speaker@example.org", SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        SrtpPolicy[] policies = {SrtpPolicy.AES_CM_128_HMAC_SHA1_80, SrtpPolicy.AES_CM_128_HMAC_SHA1_32,
            SrtpPolicy.AES_256_CM_HMAC_SHA1_32};
        DatagramSocket[] raw = new DatagramSocket[policies.length];
        SrtpKeys[] down = new SrtpKeys[policies.length];
        for (int i = 0; i < policies.length; i++) {
            raw[i] = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            raw[i].setSoTimeout(5000);
            open.add(raw[i]);
            String uri = "sip:listener" + i + "@example.org";
            down[i] = randomKeys(2, policies[i]);
            conf.addLeg(uri, (InetSocketAddress) raw[i].getLocalSocketAddress(), conf.ssrcs().assign(uri),
                    randomKeys(1, policies[i]), down[i]);
        }
        speaker.ep().send(new ToneSource(), 1, Duration.ZERO);
        for (int i = 0; i < policies.length; i++) {
            DatagramPacket dp = new DatagramPacket(new byte[2048], 2048);
            raw[i].receive(dp);
            // 12-byte header + 160-byte PCMU payload + the leg's tag (RFC 3711 §3.1)
            assertThat(dp.getLength()).as(policies[i].name()).isEqualTo(12 + 160 + policies[i].srtpTagLength());
            PacketBuffer p = PacketBuffer.allocate(dp.getLength()).copyFrom(dp.getData(), 0, dp.getLength());
            assertThat(SrtpContext.receiverForAnySsrc(down[i]).unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        }
    }

    private static void awaitRtcp(List<Party> parties, long expected) {
        for (Party p : parties) {
            assertThat(awaitAtLeast(() -> p.ep().stats().rtcpAuthenticated(), expected)).as("SRTCP at %s", p.uri())
                    .isEqualTo(expected);
        }
    }

    @Test
    void intruderWithAWrongKeyIsRejectedCountedAndNeverRelayed() {
        MediaRelay relay = relay();
        List<Party> parties = conference(relay, 3, SrtpPolicy.DEFAULT);
        Party victim = parties.get(0);
        // Same SSRC as the victim, sent to the victim's leg, but keyed with something else.
        RtpEndpoint intruder = RtpEndpoint.open(LOOPBACK, victim.ep().ssrc(), randomKeys(1, SrtpPolicy.DEFAULT),
                randomKeys(2, SrtpPolicy.DEFAULT));
        open.add(intruder);
        intruder.remote(victim.leg().localAddress());
        intruder.send(new ToneSource(), 25, Duration.ZERO);
        victim.ep().send(new ToneSource(), 5, Duration.ofMillis(1)); // a marker that arrives after the intruder's
        for (Party p : parties.subList(1, 3)) {
            assertThat(p.ep().awaitReceived(victim.ep().ssrc(), 5, WAIT)).isTrue();
        }
        LegStats leg = victim.leg().stats();
        assertThat(leg.rejectedAuth()).isEqualTo(25);
        assertThat(leg.authenticated()).isEqualTo(5);
        for (Party p : parties.subList(1, 3)) {
            assertThat(p.ep().stats().received()).isEqualTo(5);
            assertThat(p.ep().stats().rejected()).isZero();
            assertThat(awaitAtLeast(() -> p.leg().stats().relayedOut(), 5)).isEqualTo(5);
        }
        assertThat(victim.ep().stats().received()).isZero(); // nothing came back to the intruder's address either
    }

    @Test
    void streamWithAnSsrcOtherThanTheLegsIsDroppedAndCounted() {
        MediaRelay relay = relay();
        List<Party> parties = conference(relay, 3, SrtpPolicy.DEFAULT);
        Party p0 = parties.get(0);
        // Right keys, wrong SSRC: e.g. the SSRC of another participant, to spoof its stream.
        RtpEndpoint spoof = RtpEndpoint.open(LOOPBACK, parties.get(1).ep().ssrc(), p0.up(),
                randomKeys(2, SrtpPolicy.DEFAULT));
        open.add(spoof);
        spoof.remote(p0.leg().localAddress());
        spoof.send(new ToneSource(), 10, Duration.ZERO);
        spoof.sendSenderReport();
        p0.ep().send(new ToneSource(), 3, Duration.ofMillis(1));
        assertThat(parties.get(2).ep().awaitReceived(p0.ep().ssrc(), 3, WAIT)).isTrue();
        assertThat(parties.get(1).ep().awaitReceived(p0.ep().ssrc(), 3, WAIT)).isTrue();
        assertThat(p0.leg().stats().rejectedSsrc()).isEqualTo(11);
        assertThat(parties.get(2).ep().stats().authenticatedFrom(parties.get(1).ep().ssrc())).isZero();
        assertThat(parties.get(2).ep().stats().received()).isEqualTo(3);
    }

    @Test
    void eachLegGetsItsOwnEncryptionOfTheSameStream() throws Exception {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("sniff");
        Party speaker = join(conf, "sip:speaker@example.org", SrtpPolicy.DEFAULT);
        // Two listeners as raw sockets, so the SRTP bytes the relay sends them can be inspected.
        SrtpKeys[] down = {randomKeys(2, SrtpPolicy.DEFAULT), randomKeys(2, SrtpPolicy.DEFAULT)};
        DatagramSocket[] raw = new DatagramSocket[2];
        for (int i = 0; i < 2; i++) {
            raw[i] = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            raw[i].setSoTimeout(5000);
            open.add(raw[i]);
            String uri = "sip:listener" + i + "@example.org";
            conf.addLeg(uri, (InetSocketAddress) raw[i].getLocalSocketAddress(), conf.ssrcs().assign(uri),
                    randomKeys(1, SrtpPolicy.DEFAULT), down[i]);
        }
        speaker.ep().send(new ToneSource(), 1, Duration.ZERO);
        byte[][] wire = new byte[2][];
        for (int i = 0; i < 2; i++) {
            DatagramPacket dp = new DatagramPacket(new byte[2048], 2048);
            raw[i].receive(dp);
            wire[i] = java.util.Arrays.copyOf(dp.getData(), dp.getLength());
        }
        assertThat(java.util.Arrays.copyOfRange(wire[0], 0, 12)).isEqualTo(java.util.Arrays.copyOfRange(wire[1], 0, 12));
        assertThat(java.util.Arrays.copyOfRange(wire[0], 12, wire[0].length))
                .isNotEqualTo(java.util.Arrays.copyOfRange(wire[1], 12, wire[1].length));
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 2; k++) {
                SrtpContext rx = SrtpContext.receiverForAnySsrc(down[k]);
                PacketBuffer p = PacketBuffer.allocate(wire[i].length).copyFrom(wire[i], 0, wire[i].length);
                assertThat(rx.unprotectRtp(p)).as("leg %d packet under leg %d key", i, k)
                        .isEqualTo(i == k ? SrtpStatus.OK : SrtpStatus.AUTH_FAIL);
            }
        }
    }

    @Test
    void collidingSsrcIsRefusedAtJoin() {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("c");
        Party a = join(conf, "sip:a@example.org", SrtpPolicy.DEFAULT);
        assertThatThrownBy(() -> conf.addLeg("sip:b@example.org", null, a.ep().ssrc(),
                randomKeys(1, SrtpPolicy.DEFAULT), randomKeys(2, SrtpPolicy.DEFAULT)))
                .isInstanceOf(SsrcCollisionException.class);
        assertThat(conf.legs()).hasSize(1);
    }

    @Test
    void sameKeysInBothDirectionsAreRefused() {
        RelayConference conf = relay().conference("c");
        SrtpKeys k = randomKeys(1, SrtpPolicy.DEFAULT);
        assertThatThrownBy(() -> conf.addLeg("sip:a@example.org", null, Ssrc.of(1), k, k))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(conf.ssrcs().isFree(Ssrc.of(1))).isTrue();
    }

    @Test
    void legWithoutAKnownAddressLearnsItFromItsFirstAuthenticPacket() {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("latch");
        Party a = join(conf, "sip:a@example.org", SrtpPolicy.AES_256_CM_HMAC_SHA1_80);
        SrtpKeys up = randomKeys(1, SrtpPolicy.AES_256_CM_HMAC_SHA1_80);
        SrtpKeys down = randomKeys(2, SrtpPolicy.AES_256_CM_HMAC_SHA1_80);
        Ssrc ssrc = conf.ssrcs().assign("sip:b@example.org");
        RtpEndpoint b = RtpEndpoint.open(LOOPBACK, ssrc, up, down);
        open.add(b);
        // An SDP that announces port 0 says "not known yet", like null.
        RelayLeg leg = conf.addLeg("sip:b@example.org", new InetSocketAddress(LOOPBACK, 0), ssrc, up, down);
        assertThat(leg.remoteAddress()).isNull();
        b.remote(leg.localAddress());
        b.send(new ToneSource(), 2, Duration.ofMillis(1));
        assertThat(a.ep().awaitReceived(ssrc, 2, WAIT)).isTrue();
        assertThat(leg.remoteAddress()).isEqualTo(b.localAddress());
        a.ep().send(new ToneSource(), 4, Duration.ofMillis(1));
        assertThat(b.awaitReceived(a.ep().ssrc(), 4, WAIT)).isTrue();
        // A packet that does not authenticate, from another address, teaches the relay nothing.
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] forged = new byte[60];
            forged[0] = (byte) 0x80;
            int seq = b.nextSequence() + 5; // ahead of the window: it reaches the tag check
            forged[2] = (byte) (seq >>> 8);
            forged[3] = (byte) seq;
            int bits = ssrc.bits();
            forged[8] = (byte) (bits >>> 24);
            forged[9] = (byte) (bits >>> 16);
            forged[10] = (byte) (bits >>> 8);
            forged[11] = (byte) bits;
            attacker.send(new java.net.DatagramPacket(forged, forged.length, leg.localAddress()));
            assertThat(awaitAtLeast(() -> leg.stats().rejectedAuth(), 1)).isEqualTo(1);
            assertThat(leg.remoteAddress()).isEqualTo(b.localAddress());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The participant moves (a NAT rebinding): its next authenticated packet from the new address re-teaches it.
        RtpEndpoint moved = RtpEndpoint.open(LOOPBACK, ssrc, up, down);
        open.add(moved);
        moved.firstSequence(b.nextSequence() + 10);
        moved.remote(leg.localAddress());
        moved.send(new ToneSource(), 2, Duration.ofMillis(1));
        assertThat(a.ep().awaitReceived(ssrc, 4, WAIT)).isTrue();
        assertThat(leg.remoteAddress()).isEqualTo(moved.localAddress());
    }

    @Test
    void closedLegStopsRelayingAndFreesItsSsrc() {
        MediaRelay relay = relay();
        List<Party> parties = conference(relay, 3, SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
        Party gone = parties.get(2);
        gone.leg().close();
        assertThat(gone.leg().isClosed()).isTrue();
        assertThat(relay.conference("conf-3").legs()).hasSize(2);
        assertThat(relay.conference("conf-3").ssrcs().ssrcOf(gone.uri())).isEmpty();
        assertThat(relay.conference("conf-3").ssrcs().isFree(gone.ep().ssrc())).as("kept for its owner").isFalse();
        parties.get(0).ep().send(new ToneSource(), 5, Duration.ofMillis(1));
        assertThat(parties.get(1).ep().awaitReceived(parties.get(0).ep().ssrc(), 5, WAIT)).isTrue();
        assertThat(gone.ep().stats().received()).isZero();
    }

    @Test
    void closingTheRelayClosesLegsAndLaterCallsDoNotHang() {
        MediaRelay relay = MediaRelay.start(LOOPBACK);
        RelayConference conf = relay.conference("end");
        Party a = join(conf, "sip:a@example.org", SrtpPolicy.DEFAULT);
        relay.close();
        assertThat(a.leg().isClosed()).isTrue();
        a.leg().close(); // no relay thread any more: must return at once
        assertThatThrownBy(() -> conf.addLeg("sip:b@example.org", null, Ssrc.of(7),
                randomKeys(1, SrtpPolicy.DEFAULT), randomKeys(2, SrtpPolicy.DEFAULT)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(conf.ssrcs().isFree(Ssrc.of(7))).isTrue();
    }

    /** Sends hand-made SRTP packets with chosen sequence numbers. */
    private static void sendSeqs(DatagramSocket from, SrtpContext tx, Ssrc ssrc, InetSocketAddress to, int first,
                                 int count) throws Exception {
        for (int seq = first; seq < first + count; seq++) {
            byte[] rtp = new byte[12 + 160];
            rtp[0] = (byte) 0x80;
            rtp[2] = (byte) (seq >>> 8);
            rtp[3] = (byte) seq;
            rtp[8] = (byte) (ssrc.bits() >>> 24);
            rtp[9] = (byte) (ssrc.bits() >>> 16);
            rtp[10] = (byte) (ssrc.bits() >>> 8);
            rtp[11] = (byte) ssrc.bits();
            PacketBuffer p = PacketBuffer.allocate(rtp.length).copyFrom(rtp, 0, rtp.length);
            assertThat(tx.protectRtp(p)).isEqualTo(SrtpStatus.OK);
            from.send(new DatagramPacket(p.array(), p.offset(), p.length(), to));
            Thread.sleep(1);
        }
    }

    @Test
    void participantBackWithItsSsrcAfterAReKeyIsHeardAndARestartedSequenceIsNeverReEncrypted() throws Exception {
        MediaRelay relay = relay();
        RelayConference conf = relay.conference("rekey");
        Party bob = join(conf, "sip:bob@example.org", SrtpPolicy.DEFAULT);
        String alice = "sip:alice@example.org";
        Ssrc ssrc = conf.ssrcs().assign(alice);
        DatagramSocket sock = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        open.add(sock);
        InetSocketAddress aliceAddr = (InetSocketAddress) sock.getLocalSocketAddress();

        SrtpKeys up1 = randomKeys(1, SrtpPolicy.DEFAULT);
        RelayLeg leg1 = conf.addLeg(alice, aliceAddr, ssrc, up1, randomKeys(2, SrtpPolicy.DEFAULT));
        sendSeqs(sock, SrtpContext.sender(up1), ssrc, leg1.localAddress(), 1000, 10);
        assertThat(bob.ep().awaitReceived(ssrc, 10, WAIT)).isTrue();

        leg1.close(); // re-key: a new leg with new keys, same SSRC, the sequence continues
        SrtpKeys up2 = randomKeys(1, SrtpPolicy.DEFAULT);
        RelayLeg leg2 = conf.addLeg(alice, aliceAddr, ssrc, up2, randomKeys(2, SrtpPolicy.DEFAULT));
        sendSeqs(sock, SrtpContext.sender(up2), ssrc, leg2.localAddress(), 1010, 5);
        assertThat(bob.ep().awaitReceived(ssrc, 15, WAIT)).isTrue();

        leg2.close(); // back again, but with the sequence restarted below what bob's leg key has already carried
        SrtpKeys up3 = randomKeys(1, SrtpPolicy.DEFAULT);
        RelayLeg leg3 = conf.addLeg(alice, aliceAddr, ssrc, up3, randomKeys(2, SrtpPolicy.DEFAULT));
        sendSeqs(sock, SrtpContext.sender(up3), ssrc, leg3.localAddress(), 500, 5);
        assertThat(awaitAtLeast(() -> leg3.stats().authenticated(), 5)).isEqualTo(5);
        assertThat(awaitAtLeast(() -> bob.leg().stats().sendDropped(), 5)).as("refused rather than re-using a keystream").isEqualTo(5);
        assertThat(bob.ep().stats().authenticatedFrom(ssrc)).isEqualTo(15);
        assertThat(bob.ep().stats().rejected()).isZero();
    }
}
