package org.kmsconf.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/** What the demo sees: structured flow events without key material, and the opt-in key log agreeing at both ends. */
class TraceAndKeyLogTest {
    @Test
    void callInIsTracedStepByStepAndBothEndsLogTheSameKeys() throws Exception {
        try (KmsWorld w = new KmsWorld()) {
            w.server(null, false, "tcp");
            UserAgent alice = w.ue("alice", "tcp");
            String focus = alice.createConference(KmsWorld.FACTORY, List.of()).focusUri();
            assertThat(w.keyLog).as("the creation leg carries no media: nothing in the key log").isEmpty();
            w.events.clear();
            Call a = alice.join(focus);

            List<FlowEvent> ev = List.copyOf(w.events);
            assertThat(ev).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FlowEvent.KmsDone.class, k -> {
                assertThat(k.party()).isEqualTo("sip:alice@operator");
                assertThat(k.exchange()).isEqualTo(FlowEvent.KmsExchange.REQUEST);
                assertThat(k.ok()).isTrue();
            }));
            assertThat(ev).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FlowEvent.KmsDone.class, k -> {
                assertThat(k.party()).isEqualTo(focus);
                assertThat(k.exchange()).isEqualTo(FlowEvent.KmsExchange.RESOLVE);
                assertThat(k.identities()).containsExactly(focus);
            }));
            assertThat(ev).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FlowEvent.SipMessage.class, m -> {
                assertThat(m.what()).isEqualTo("INVITE");
                assertThat(m.direction()).isEqualTo(FlowEvent.Direction.SENT);
                assertThat(m.mikey()).isEqualTo(MikeyContent.TRANSFER_INIT);
                assertThat(m.transport()).isEqualTo("TCP");
                assertThat(m.to()).isEqualTo(focus);
            }));
            assertThat(ev).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FlowEvent.SipMessage.class, m -> {
                assertThat(m.what()).isEqualTo("200 INVITE");
                assertThat(m.direction()).isEqualTo(FlowEvent.Direction.RECEIVED);
                assertThat(m.mikey()).isEqualTo(MikeyContent.TRANSFER_RESP);
            }));
            assertThat(ev).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FlowEvent.Check.class, c -> {
                assertThat(c.check()).isEqualTo(Rule.CALLER_ALLOWED);
                assertThat(c.passed()).isTrue();
            }));
            // Fingerprints of each CS agree between the two ends; the keys themselves are nowhere in the events.
            List<FlowEvent.LegKeys> legKeys = ev.stream().filter(FlowEvent.LegKeys.class::isInstance)
                    .map(FlowEvent.LegKeys.class::cast).toList();
            assertThat(legKeys).filteredOn(k -> k.csId() == 1).extracting(FlowEvent.LegKeys::fingerprint)
                    .hasSize(2).containsOnly(a.sendKeys().fingerprint());
            assertThat(legKeys).filteredOn(k -> k.csId() == 2).extracting(FlowEvent.LegKeys::fingerprint)
                    .hasSize(2).containsOnly(a.receiveKeys().fingerprint());
            String keyHex = HexFormat.of().formatHex(a.sendKeys().masterKey());
            assertThat(ev).allSatisfy(e -> assertThat(e.toString()).doesNotContain(keyHex));

            String line = "SRTP sip:alice@operator " + focus + " " + a.ssrc() + " " + keyHex + " "
                    + HexFormat.of().formatHex(a.sendKeys().masterSalt()) + " AES_CM_128_HMAC_SHA1_80";
            assertThat(w.keyLog).filteredOn(line::equals).hasSize(2); // logged by alice and by the focus
            alice.leave(focus);
        }
    }

    /**
     * A check line is written by the check it names, after it ran: for a join the focus reports the model's rules in
     * the order it evaluated them; for a refused join it reports the rules that held, then the one that failed, and
     * nothing the model never evaluated.
     */
    @Test
    void theFocusReportsExactlyTheRulesItEvaluatedInOrder() throws Exception {
        try (KmsWorld w = new KmsWorld()) {
            w.server(null, false, "udp");
            // without the event package, whose SUBSCRIBE checks would come after the join's, at their own time
            UserAgent alice = w.ue("alice", "udp", c -> c.withSubscribe(false));
            UserAgent mallory = w.ue("mallory", "udp", c -> c.withSubscribe(false));
            String focus = alice.createConference(KmsWorld.FACTORY, List.of()).focusUri();
            w.events.clear();
            alice.join(focus);
            assertThat(checksBy(w, focus)).containsExactly("carries-transfer-init ✓",
                    "transfer-init-addressed-to-us ✓", "initiator-authenticated ✓", "initiator-is-from ✓",
                    "conference-running ✓", "caller-allowed ✓", "not-already-joined ✓", "room-left ✓",
                    "ssrc-unique ✓");
            w.events.clear();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> mallory.join(focus));
            assertThat(checksBy(w, focus)).containsExactly("carries-transfer-init ✓",
                    "transfer-init-addressed-to-us ✓", "initiator-authenticated ✓", "initiator-is-from ✓",
                    "conference-running ✓", "caller-allowed ✗");
        }
    }

    private static List<String> checksBy(KmsWorld w, String party) {
        return w.events.stream().filter(e -> e instanceof FlowEvent.Check c && c.party().equals(party))
                .map(e -> (FlowEvent.Check) e).map(c -> c.check().label() + (c.passed() ? " ✓" : " ✗")).toList();
    }
}
