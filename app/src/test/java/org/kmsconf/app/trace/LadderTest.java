package org.kmsconf.app.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.trace.FlowEvent.Direction;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowEvent;

class LadderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void showsEachMessageOnceFromItsSenderInTimeOrder() {
        StringWriter text = new StringWriter();
        Ladder ladder = new Ladder(T0, new PrintWriter(text));
        String alice = "sip:alice@operator";
        String factory = "sip:factory.conference1@operator";
        String focus = "sip:focus1.conference1@operator";
        ladder.print(List.of(
                new FlowEvent.SipMessage(T0.plusMillis(12), factory, Direction.RECEIVED, alice, factory, "INVITE",
                        "c1", "udp", MikeyContent.TRANSFER_INIT),
                new FlowEvent.KmsDone(T0.plusMillis(5), alice, FlowEvent.KmsExchange.REQUEST,
                        List.of(factory, "sip:bob@operator"), true, ""),
                new FlowEvent.SipMessage(T0.plusMillis(10), alice, Direction.SENT, alice, factory, "INVITE",
                        "c1", "udp", MikeyContent.TRANSFER_INIT),
                new FlowEvent.KmsDone(T0.plusMillis(15), factory, FlowEvent.KmsExchange.RESOLVE, List.of(focus),
                        true, ""),
                new FlowEvent.Check(T0.plusMillis(16), factory, Rule.CREATOR_AUTHORISED_BY_KMS, true, null),
                new FlowEvent.LegKeys(T0.plusMillis(17), focus, "leg1", 1, alice, focus, Ssrc.of(0xabc), "1a2b3c4d"),
                new FlowEvent.Check(T0.plusMillis(18), "sip:mallory@operator", Rule.CALLER_ALLOWED, false, "not in set"),
                new FlowEvent.SipMessage(T0.plusMillis(19), factory, Direction.SENT, alice, factory, "200 INVITE",
                        "c1", "udp", MikeyContent.TRANSFER_RESP)));
        assertThat(text.toString().lines().toList()).containsExactly(
                "    +5 ms  alice ⇄ KMS  REQUEST ticket for {factory.conference1, bob}: ok",
                "   +10 ms  alice ──INVITE [TRANSFER_INIT]──▶ factory.conference1   udp",
                "   +15 ms  factory.conference1 ⇄ KMS  RESOLVE as {focus1.conference1}: ok",
                "   +16 ms    ✓ factory.conference1  creator-authorised-by-kms",
                "   +17 ms    ⚿ focus1.conference1  CS 1 alice→focus1.conference1 ssrc 0x00000abc keys #1a2b3c4d",
                "   +18 ms    ✗ mallory  caller-allowed (not in set)",
                "   +19 ms  factory.conference1 ──200 INVITE [TRANSFER_RESP]──▶ alice   udp");
    }

    @Test
    void shortNameIsTheUserPart() {
        assertThat(Ladder.name("<sip:bob@operator>")).isEqualTo("bob");
        assertThat(Ladder.name("KMS")).isEqualTo("KMS");
    }
}
