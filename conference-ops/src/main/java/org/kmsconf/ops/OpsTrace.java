package org.kmsconf.ops;

import java.util.Locale;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;

/**
 * The admin interface's view of the conference server's flow trace: each failed check becomes a refusal (recent
 * list, metric, console), each conference change a metric and a push of the picture, each SIP message a count by
 * method, status and direction. Called on SIP and worker threads: it only counts and enqueues, never blocks.
 */
final class OpsTrace implements FlowListener {
    /** What the trace tells the rest of the admin interface. */
    interface Sink {
        void refused(Refusals.Refusal r);

        void conferenceChanged();
    }

    private final ConferenceMetrics metrics;
    private final Refusals refusals;
    private final Sink sink;

    OpsTrace(ConferenceMetrics metrics, Refusals refusals, Sink sink) {
        this.metrics = metrics;
        this.refusals = refusals;
        this.sink = sink;
    }

    @Override
    public void onEvent(FlowEvent event) {
        if (event instanceof FlowEvent.Check c) {
            Refusals.Refusal r = refusals.add(c);
            if (r != null) {
                metrics.refused(r.check(), r.kind());
                sink.refused(r);
            }
        } else if (event instanceof FlowEvent.ConferenceChanged cc) {
            countChange(cc.change());
            sink.conferenceChanged();
        } else if (event instanceof FlowEvent.SipMessage m) {
            countSip(m);
        }
    }

    /**
     * The changes the focus reports (docs/sip.md "Observability"): {@code created}, {@code ended}, {@code joined X},
     * {@code called out X}, {@code re-keyed X} (each possibly after {@code allowed-set-replaced, }), and a leg's end
     * {@code left|removed|ended|expired|lost X}.
     */
    void countChange(String change) {
        String c = change.startsWith("allowed-set-replaced, ") ? change.substring("allowed-set-replaced, ".length())
                : change;
        if (c.equals("created")) {
            metrics.conferenceCreated();
        } else if (c.equals("ended")) {
            metrics.conferenceEnded();
        } else if (c.startsWith("joined ")) {
            metrics.joined("dialed-in");
        } else if (c.startsWith("called out ")) {
            metrics.joined("dialed-out");
        } else if (c.startsWith("re-keyed ")) {
            metrics.rekeyed();
        } else {
            int sp = c.indexOf(' ');
            String verb = sp < 0 ? c : c.substring(0, sp);
            switch (verb) {
                case "left", "removed", "ended", "expired", "lost" -> metrics.legEnded(verb);
                default -> metrics.legEnded("other");
            }
        }
    }

    private void countSip(FlowEvent.SipMessage m) {
        String direction = m.direction().name().toLowerCase(Locale.ROOT);
        String what = m.what();
        int sp = what.indexOf(' ');
        if (sp < 0) {
            metrics.sipRequest(ConferenceMetrics.method(what), direction);
            return;
        }
        try {
            int status = Integer.parseInt(what.substring(0, sp));
            if (status >= 200) { // a final response ends the transaction
                metrics.sipResponse(ConferenceMetrics.method(what.substring(sp + 1)), status, direction);
            }
        } catch (NumberFormatException e) {
            metrics.sipRequest("other", direction);
        }
    }
}
