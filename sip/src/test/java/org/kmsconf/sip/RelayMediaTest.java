package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * SRTP through the focus's per-leg relay with the keys each leg negotiated over SIP: a call-in participant and a
 * called-out one hear each other, each with its own leg keys.
 */
class RelayMediaTest {
    @ParameterizedTest
    @EnumSource(AlgorithmSet.class)
    void participantsHearEachOtherThroughTheRelayWithPerLegKeys(AlgorithmSet set) throws Exception {
        KmsWorld w = new KmsWorld(set);
        SrtpPolicy profile = set.defaultSrtpPolicy();
        RelayMedia media = RelayMedia.start(InetAddress.getLoopbackAddress());
        ConferenceServer cs = w.server(null, false, "udp", media);
        UserAgent alice = w.ue("alice", "udp");
        UserAgent bob = w.ue("bob", "udp");
        RtpEndpoint ra = null;
        RtpEndpoint rb = null;
        try {
            UserAgent.Created c = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator"));
            Call a = alice.join(c.focusUri());
            java.util.List<Integer> toldPorts = new java.util.concurrent.CopyOnWriteArrayList<>();
            bob.setCallListener(call -> toldPorts.add(call.peerMedia().getPort()));
            assertThat(alice.referFocus(c.focusUri(), "sip:bob@operator").succeeded()).isTrue();
            Call b = bob.call(c.focusUri()).orElseThrow();
            assertThat(a.peerMedia().getPort()).isNotZero();
            // the focus's answer (call-in) and its offer (call-out) said a=rtcp-mux, as ours do
            assertThat(a.peerRtcpMux()).isTrue();
            assertThat(b.peerRtcpMux()).isTrue();
            // the call-out's offer named the relay port (bound before the keys existed): no later message, and so no
            // unauthenticated one, has to tell bob where to send
            // the call listener runs on bob's thread after his 200 leaves: the REFER can succeed before it has run
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (toldPorts.isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(toldPorts).containsExactly(b.peerMedia().getPort());
            assertThat(b.peerMedia().getPort()).isNotZero();

            assertThat(a.sendKeys().masterKey()).hasSize(profile.masterKeyLength());
            assertThat(a.sendKeys().policy()).isEqualTo(profile);
            ra = open(a);
            rb = open(b);
            ra.send(new ToneSource(440, 0.3), 20, Duration.ofMillis(5));
            rb.send(new ToneSource(880, 0.3), 20, Duration.ofMillis(5));
            ra.send(new ToneSource(440, 0.3), 20, Duration.ofMillis(5)); // after bob's first packet the relay knows him
            assertThat(rb.awaitReceived(a.ssrc(), 10, Duration.ofSeconds(5))).isTrue();
            assertThat(ra.awaitReceived(b.ssrc(), 10, Duration.ofSeconds(5))).isTrue();
            assertThat(a.sendKeys().sameKeysAs(b.sendKeys())).isFalse();
            // Each UE's RTP socket is the one its SDP named, and that is where the focus's relay leg sends: the
            // address it learnt from the first authenticated packets equals the SDP's.
            var legs = media.relay().conferences().get(c.focusUri()).legs();
            for (var e : java.util.Map.of("sip:alice@operator", ra, "sip:bob@operator", rb).entrySet()) {
                Call call = e.getKey().equals("sip:alice@operator") ? a : b;
                assertThat(e.getValue().localAddress()).isEqualTo(call.localMedia());
                assertThat(legs).filteredOn(l -> l.participantUri().equals(e.getKey()))
                        .singleElement().extracting(l -> l.remoteAddress()).isEqualTo(call.localMedia());
            }
            alice.leave(c.focusUri());
        } finally {
            if (ra != null) {
                ra.close();
            }
            if (rb != null) {
                rb.close();
            }
            w.close();
        }
    }

    private static RtpEndpoint open(Call call) {
        // bound to the address this UE put in its SDP offer/answer
        RtpEndpoint e = RtpEndpoint.open(call.localMedia(), call.ssrc(), call.sendKeys(), call.receiveKeys());
        e.remote(call.peerMedia());
        return e;
    }

    /**
     * One conference whose legs negotiated different SRTP policies over SIP: bob's user agent offers
     * AES_CM_128_HMAC_SHA1_32 (32-bit tags, the usual voice choice), alice and carol the default 80-bit tags. The
     * focus answers each offer with the policy offered, keys each relay leg under its own policy, and everyone hears
     * everyone: each packet is unprotected under its sender's leg policy and protected under each receiver's.
     */
    @org.junit.jupiter.api.Test
    void legsWithDifferentNegotiatedPoliciesHearEachOther() throws Exception {
        KmsWorld w = new KmsWorld();
        RelayMedia media = RelayMedia.start(InetAddress.getLoopbackAddress());
        w.server(null, false, "udp", media);
        UserAgent alice = w.ue("alice", "udp");
        UserAgent bob = w.ue("bob", "udp", List.of(SrtpPolicy.AES_CM_128_HMAC_SHA1_32));
        UserAgent carol = w.ue("carol", "udp");
        List<RtpEndpoint> eps = new java.util.ArrayList<>();
        try {
            String focus = alice.createConference(KmsWorld.FACTORY, List.of("sip:bob@operator", "sip:carol@operator"))
                    .focusUri();
            Call a = alice.join(focus);
            Call b = bob.join(focus);
            Call c = carol.join(focus);
            assertThat(a.sendKeys().policy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_80);
            assertThat(b.sendKeys().policy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
            assertThat(b.receiveKeys().policy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
            var bobsLeg = media.relay().conferences().get(focus).legs().stream()
                    .filter(l -> l.participantUri().equals("sip:bob@operator")).findFirst().orElseThrow();
            assertThat(bobsLeg.inboundPolicy()).isEqualTo(SrtpPolicy.AES_CM_128_HMAC_SHA1_32);
            for (Call call : List.of(a, b, c)) {
                eps.add(open(call));
            }
            for (int round = 0; round < 2; round++) { // after everyone's first packet the relay knows every address
                for (RtpEndpoint e : eps) {
                    e.send(new ToneSource(440, 0.3), 10, Duration.ofMillis(2));
                }
            }
            for (RtpEndpoint rx : eps) {
                for (RtpEndpoint tx : eps) {
                    if (rx != tx) {
                        assertThat(rx.awaitReceived(tx.ssrc(), 10, Duration.ofSeconds(5))).isTrue();
                    }
                }
                assertThat(rx.stats().rejectedAuth()).isZero();
            }
        } finally {
            eps.forEach(RtpEndpoint::close);
            w.close();
            media.close();
        }
    }
}
