package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.ops.client.AdminApiException;
import org.kmsconf.ops.client.AdminClient;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * The admin API over real sockets against a running conference (embedded KMS, conference server with the SRTP
 * relay, user agents sending SRTP): what it shows matches the server's own state and the user agents' keys (as
 * fingerprints, never keys), the operator's removal and end are the conference model's (BYE within a second, relay
 * leg closed), and every action and refused attempt is audited and counted.
 */
class AdminApiTest {
    @TempDir
    Path dir;

    @Test
    void operatorSeesLegsRemovesAParticipantAndEndsTheConference() throws Exception {
        try (OpsWorld w = new OpsWorld(dir)) {
            UserAgent alice = w.ue("alice");
            UserAgent bob = w.ue("bob");
            w.ue("carol");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of("sip:bob@operator", "sip:carol@operator"))
                    .focusUri();
            Call a = alice.join(focus);
            Call b = bob.join(focus);
            RtpEndpoint ra = w.rtp(a);
            RtpEndpoint rb = w.rtp(b);
            ra.send(new ToneSource(440, 0.3), 10, Duration.ofMillis(5));
            rb.send(new ToneSource(880, 0.3), 10, Duration.ofMillis(5));
            ra.send(new ToneSource(440, 0.3), 10, Duration.ofMillis(5));
            assertThat(rb.awaitReceived(a.ssrc(), 10, Duration.ofSeconds(5))).isTrue();

            AdminClient api = w.adminClient();
            JsonNode list = api.conferences();
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("focusUri").asText()).isEqualTo(focus);
            assertThat(list.get(0).path("owner").asText()).isEqualTo("sip:alice@operator");
            assertThat(list.get(0).path("connected").asInt()).isEqualTo(2);

            JsonNode conf = api.conference(focus);
            assertThat(conf.path("owner").asText()).isEqualTo("sip:alice@operator");
            assertThat(texts(conf.path("allowed"))).containsExactlyInAnyOrder("sip:bob@operator", "sip:carol@operator");
            JsonNode bobView = participant(conf, "sip:bob@operator");
            assertThat(bobView.path("status").asText()).isEqualTo("CONNECTED");
            assertThat(bobView.path("ssrc").asText()).isEqualTo(b.ssrc().toString());
            JsonNode leg = bobView.path("leg");
            assertThat(leg.path("callId").asText()).isEqualTo(w.inviteCallId("sip:bob@operator", focus));
            assertThat(leg.path("dialogId").asText()).startsWith(leg.path("callId").asText() + ";");
            // what bob sends with and what the focus sends him with, as bob's own keys say (fingerprints only)
            assertThat(leg.path("fromParticipant").path("keyFingerprint").asText())
                    .isEqualTo(b.sendKeys().fingerprint());
            assertThat(leg.path("toParticipant").path("keyFingerprint").asText())
                    .isEqualTo(b.receiveKeys().fingerprint());
            assertThat(leg.path("fromParticipant").path("srtpPolicy").asText())
                    .isEqualTo(b.sendKeys().policy().suiteName());
            assertThat(leg.path("fromParticipant").path("ssrc").asText()).isEqualTo(b.ssrc().toString());
            assertThat(leg.path("relayAddress").asText()).isEqualTo("127.0.0.1:" + b.peerMedia().getPort());
            assertThat(leg.path("participantAddress").asText()).isEqualTo("127.0.0.1:" + b.localMedia().getPort());
            assertThat(leg.path("counters").path("received").asLong()).isGreaterThanOrEqualTo(10);
            assertThat(leg.path("counters").path("authenticated").asLong()).isGreaterThanOrEqualTo(10);
            assertThat(leg.path("counters").path("authFailures").asLong()).isZero();
            assertThat(participant(conf, "sip:alice@operator").path("leg").path("counters").path("sent").asLong())
                    .isGreaterThanOrEqualTo(10);
            // never a key in anything the API says
            String everything = conf.toString() + list;
            for (Call c : List.of(a, b)) {
                for (var k : List.of(c.sendKeys(), c.receiveKeys())) {
                    assertThat(everything).doesNotContainIgnoringCase(HexFormat.of().formatHex(k.masterKey()))
                            .doesNotContainIgnoringCase(HexFormat.of().formatHex(k.masterSalt()));
                }
            }

            // the owner cannot be removed: the model's rule, answered 409 with its name, and audited
            assertThatThrownBy(() -> api.remove(focus, "sip:alice@operator"))
                    .isInstanceOfSatisfying(AdminApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.rule()).isEqualTo("target-not-owner");
                    });

            // the operator removes bob: a BYE within a second, his relay leg closed, out of the allowed set
            long t0 = System.nanoTime();
            JsonNode removed = api.remove(focus, "sip:bob@operator");
            assertThat(removed.path("outcome").asText()).isEqualTo("removed");
            assertThat(texts(removed.path("departed"))).containsExactly("sip:bob@operator");
            b.ended().get(1, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(w.relay.relay().conferences().get(focus).legs())
                    .noneMatch(l -> l.participantUri().equals("sip:bob@operator") && !l.isClosed());
            conf = api.conference(focus);
            assertThat(texts(conf.path("allowed"))).containsExactly("sip:carol@operator");
            assertThat(conf.path("participants")).extracting(p -> p.path("identity").asText())
                    .containsExactly("sip:alice@operator");
            // ... and he cannot come back: the model refuses him, and the refusal shows
            assertThatThrownBy(() -> bob.join(focus)).isInstanceOf(FlowFailedException.class);
            JsonNode refusals = api.refusals(10);
            assertThat(refusals).anySatisfy(r -> {
                assertThat(r.path("check").asText()).isEqualTo("caller-allowed");
                assertThat(r.path("kind").asText()).isEqualTo("conference-rule");
                assertThat(r.path("detail").asText()).contains("sip:bob@operator");
                assertThat(r.path("party").asText()).isEqualTo(focus);
            });

            String metrics = api.metrics();
            assertThat(metrics).contains("conference_legs_ended_total{reason=\"removed\"} 1.0",
                    "conference_refusals_total{check=\"caller-allowed\",kind=\"conference-rule\"} 1.0",
                    "conference_joins_total{method=\"dialed-in\"} 2.0", "conference_creations_total 1.0",
                    "conference_active 1.0", "conference_legs_active 1.0",
                    "conference_admin_actions_total{action=\"remove\",outcome=\"done\"} 1.0",
                    "conference_admin_actions_total{action=\"remove\",outcome=\"refused\"} 1.0",
                    "conference_sip_responses_total{direction=\"sent\",method=\"INVITE\",status=\"200\"} 3.0",
                    "conference_sip_responses_total{direction=\"sent\",method=\"INVITE\",status=\"403\"} 1.0",
                    "conference_sip_overload_refusals_total{cause=\"workers-busy\"} 0.0");
            // every resolve the KMS granted was the server's (the user agents here resolve nothing), each timed
            assertThat(metrics).contains("conference_kms_exchange_seconds_count{exchange=\"RESOLVE\",outcome=\"ok\"} "
                    + (long) w.kms.metrics().count("RESOLVE", "RESOLVED") + "\n");
            assertThat(metrics).containsPattern("conference_relay_packets_received_total [1-9]");
            assertThat(metrics).containsPattern("conference_relay_packets_sent_total [1-9]");
            assertThat(metrics).contains("conference_relay_packets_dropped_total{reason=\"auth\"} 0.0");

            // the operator ends the conference: alice gets her BYE, nothing runs any more
            JsonNode ended = api.end(focus);
            assertThat(ended.path("conferenceEnded").asBoolean()).isTrue();
            a.ended().get(1, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(api.conferences()).isEmpty();
            assertThatThrownBy(() -> api.conference(focus)).isInstanceOfSatisfying(AdminApiException.class,
                    e -> assertThat(e.status()).isEqualTo(404));

            // every action is in the audit, newest first, with who did it
            JsonNode audit = api.audit(10);
            assertThat(audit.get(0).path("action").asText()).isEqualTo("end");
            assertThat(audit.get(0).path("outcome").asText()).isEqualTo("DONE");
            assertThat(audit.get(0).path("operator").asText()).isEqualTo("token:tester");
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.path("action").asText()).isEqualTo("remove");
                assertThat(e.path("outcome").asText()).isEqualTo("DONE");
                assertThat(e.path("target").asText()).isEqualTo("sip:bob@operator from " + focus);
            });
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.path("action").asText()).isEqualTo("remove");
                assertThat(e.path("outcome").asText()).isEqualTo("REFUSED");
                assertThat(e.path("detail").asText()).startsWith("target-not-owner");
            });
            // ... and in the audit file, one JSON line each
            assertThat(java.nio.file.Files.readAllLines(dir.resolve("admin-audit.jsonl")))
                    .anyMatch(l -> l.contains("\"action\":\"remove\"") && l.contains("\"outcome\":\"DONE\""));
        }
    }

    @Test
    void withoutTheTokenNothingIsShownNorDoneAndEveryAttemptIsAudited() throws Exception {
        try (OpsWorld w = new OpsWorld(dir)) {
            UserAgent alice = w.ue("alice");
            w.ue("bob");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of("sip:bob@operator")).focusUri();
            alice.join(focus);
            String enc = java.net.URLEncoder.encode(focus, java.nio.charset.StandardCharsets.UTF_8);
            String right = w.token();
            // an attacker on the host with a token of its own making, a wrong one, or none at all
            for (Map<String, String> h : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer "
                    + right.substring(0, right.length() - 1) + (right.endsWith("A") ? "B" : "A")),
                    Map.of("Authorization", "Basic " + right), Map.of("Cookie", "kmsconf_console=" + right))) {
                for (String[] req : List.of(new String[] {"GET", "/api/conferences"},
                        new String[] {"GET", "/api/conferences/" + enc}, new String[] {"DELETE", "/api/conferences/" + enc},
                        new String[] {"DELETE", "/api/conferences/" + enc + "/participants/sip%3Abob%40operator"},
                        new String[] {"GET", "/api/refusals"}, new String[] {"GET", "/api/audit"},
                        new String[] {"GET", "/api/events"})) {
                    HttpResponse<String> r = w.request(req[0], req[1], h);
                    assertThat(r.statusCode()).as(req[0] + " " + req[1] + " " + h).isEqualTo(401);
                    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"kmsconf-conference\"");
                    assertThat(r.body()).doesNotContain("alice");
                }
            }
            // nothing happened to the conference
            assertThat(w.server.conference(focus)).isPresent();
            assertThat(w.server.conference(focus).get().participantSsrcs()).containsKey("sip:alice@operator");
            assertThat(w.ops.audit().recent(100)).hasSize(28).allSatisfy(e -> {
                assertThat(e.outcome()).isEqualTo("REFUSED");
                assertThat(e.operator()).isEqualTo("unauthenticated");
                assertThat(e.remote()).isEqualTo("127.0.0.1");
            });
            // the open parts stay open and say nothing about anyone
            HttpResponse<String> metrics = w.request("GET", "/metrics", Map.of());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("conference_active 1.0").doesNotContain("alice", "focus");
            assertThat(w.request("GET", "/health", Map.of()).body()).isEqualTo("ok\n");
        }
    }

    private static JsonNode participant(JsonNode conf, String identity) {
        for (JsonNode p : conf.path("participants")) {
            if (p.path("identity").asText().equals(identity)) {
                return p;
            }
        }
        throw new AssertionError(identity + " not in " + conf);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
