package org.kmsconf.app.trace;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.kmsconf.sip.trace.FlowEvent.Check;
import org.kmsconf.sip.trace.FlowEvent.ConferenceChanged;
import org.kmsconf.sip.trace.FlowEvent.Direction;
import org.kmsconf.sip.trace.FlowEvent.KmsDone;
import org.kmsconf.sip.trace.FlowEvent.LegKeys;
import org.kmsconf.sip.trace.FlowEvent.MikeyContent;
import org.kmsconf.sip.trace.FlowEvent.SipMessage;
import org.kmsconf.sip.trace.FlowEvent;

/**
 * Renders flow events as a text ladder: one line per SIP message (as its sender saw it), KMS exchange, check,
 * derived key (fingerprint only) and conference change, in time order, with milliseconds since the run began.
 *
 * <pre>
 *    +123 ms  alice ──INVITE [TRANSFER_INIT]──▶ factory.conference1   udp
 *    +131 ms  factory.conference1 ⇄ KMS  RESOLVE as focus1.conference1: ok
 *    +132 ms    ✓ factory.conference1  creator-authorised
 * </pre>
 */
public final class Ladder {
    private final Instant origin;
    private final PrintWriter out;

    public Ladder(Instant origin, PrintWriter out) {
        this.origin = origin;
        this.out = out;
    }

    /** Prints the events in time order (SIP messages once, from the sender's side). */
    public void print(List<FlowEvent> events) {
        events.stream().sorted(Comparator.comparing(FlowEvent::at)).map(this::line)
                .filter(l -> !l.isEmpty()).forEach(out::println);
        out.flush();
    }

    /** One ladder line for an event, or "" when the event is the receiving side of a message already shown. */
    public String line(FlowEvent event) {
        String t = String.format("%6s", "+" + Duration.between(origin, event.at()).toMillis()) + " ms  ";
        if (event instanceof SipMessage m) {
            return m.direction() == Direction.RECEIVED ? "" : t + sip(m);
        } else if (event instanceof KmsDone k) {
            return t + name(k.party()) + " ⇄ KMS  " + k.exchange() + kmsWhat(k) + ": "
                    + (k.ok() ? "ok" : "REFUSED" + detail(k.detail()));
        } else if (event instanceof Check c) {
            return t + "  " + (c.passed() ? "✓ " : "✗ ") + name(c.party()) + "  " + c.check().label()
                    + detail(c.detail());
        } else if (event instanceof LegKeys l) {
            return t + "  ⚿ " + name(l.party()) + "  CS " + l.csId() + " " + name(l.sender()) + "→"
                    + name(l.receiver()) + (l.ssrc().isAssigned() ? " ssrc " + l.ssrc() : " ssrc -")
                    + " keys #" + l.fingerprint();
        } else if (event instanceof ConferenceChanged c) {
            return t + "  ◆ " + name(c.focusUri()) + " " + c.change() + ": owner " + name(c.owner())
                    + ", allowed " + names(c.allowed()) + ", in call " + names(c.participants());
        }
        return t + event;
    }

    /** A request goes From → To; a response goes the other way (RFC 3261: it keeps the request's From and To). */
    private String sip(SipMessage m) {
        String label = m.what() + (m.mikey() == MikeyContent.NONE ? "" : " [" + m.mikey() + "]");
        boolean response = !m.what().isEmpty() && Character.isDigit(m.what().charAt(0));
        String src = response ? m.to() : m.from();
        String dst = response ? m.from() : m.to();
        return name(src) + " ──" + label + "──▶ " + name(dst) + "   " + m.transport();
    }

    private static String kmsWhat(KmsDone k) {
        if (k.identities().isEmpty()) {
            return "";
        }
        return switch (k.exchange()) {
            case REQUEST -> " ticket for " + names(k.identities());
            case RESOLVE -> " as " + names(k.identities());
        };
    }

    private static String detail(String detail) {
        return detail == null || detail.isBlank() ? "" : " (" + detail + ")";
    }

    /** Several URIs by their user parts, as a set ("{alice, bob}"). */
    public static String names(List<String> uris) {
        return uris.isEmpty() ? "{}" : "{" + String.join(", ", uris.stream().map(Ladder::name).toList()) + "}";
    }

    /** The user part of a SIP URI ("sip:alice@operator" → "alice"); anything else unchanged. */
    public static String name(String uri) {
        if (uri == null) {
            return "?";
        }
        String s = uri.startsWith("<") && uri.endsWith(">") ? uri.substring(1, uri.length() - 1) : uri;
        s = s.startsWith("sips:") ? s.substring(5) : s.startsWith("sip:") ? s.substring(4) : s;
        int at = s.indexOf('@');
        return at > 0 ? s.substring(0, at) : s;
    }
}
