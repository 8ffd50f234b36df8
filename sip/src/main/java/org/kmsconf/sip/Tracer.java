package org.kmsconf.sip;

import java.time.Instant;
import java.util.List;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.trace.CheckName;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports flow steps to the {@link FlowListener} and the log, and leg keys to the opt-in {@link KeyLogListener}.
 * A check is reported by the code that ran it, after it ran: signalling checks where they are made, the conference
 * model's rules from the {@link Outcome} that recorded them.
 */
public final class Tracer {
    private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);
    private final FlowListener listener;
    private final KeyLogListener keyLog;

    public Tracer(FlowListener listener, KeyLogListener keyLog) {
        this.listener = listener == null ? FlowListener.NONE : listener;
        this.keyLog = keyLog == null ? KeyLogListener.NONE : keyLog;
    }

    private void emit(FlowEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.debug("flow listener failed: {}", ex.toString());
        }
    }

    public void kms(String party, FlowEvent.KmsExchange exchange, List<String> identities, boolean ok, String detail) {
        LOG.debug("{}: {} {} {} {}", party, exchange, identities, ok ? "ok" : "refused", detail);
        emit(new FlowEvent.KmsDone(Instant.now(), party, exchange, identities, ok, detail == null ? "" : detail));
    }

    public void check(String party, CheckName check, boolean passed, String detail) {
        if (!passed) {
            LOG.info("{}: check {} failed: {}", party, check.label(), detail);
        }
        emit(new FlowEvent.Check(Instant.now(), party, check, passed, detail == null ? "" : detail));
    }

    /** The rules the conference model checked for one decision: each that held, then the one that failed. */
    public void outcome(String party, Outcome<?> outcome, String about) {
        for (Rule r : outcome.passed()) {
            check(party, r, true, about);
        }
        if (outcome instanceof Outcome.Refused<?> refused) {
            check(party, refused.failed(), false, refused.detail());
        }
    }

    public void conference(String party, String focus, String change, String owner, List<String> allowed,
                    List<String> participants) {
        LOG.info("{}: conference {} {} (owner {}, allowed {}, participants {})", party, focus, change, owner,
                allowed, participants);
        emit(new FlowEvent.ConferenceChanged(Instant.now(), party, focus, change, owner, allowed, participants));
    }

    /** Both crypto sessions of a leg: fingerprints to the trace, keys to the key log. */
    public void legKeys(String party, String legId, Leg leg) {
        legKeys(party, legId, leg, true);
    }

    /**
     * As {@link #legKeys(String, String, Leg)}; {@code carriesMedia} false (the creator's leg with the factory) keeps
     * the leg out of the key log, which lists only keys that protect media.
     */
    public void legKeys(String party, String legId, Leg leg, boolean carriesMedia) {
        emit(new FlowEvent.LegKeys(Instant.now(), party, legId, leg.cs1().csId(), leg.initiator(), leg.responder(),
                leg.ssrcs().cs1(), leg.cs1().fingerprint()));
        emit(new FlowEvent.LegKeys(Instant.now(), party, legId, leg.cs2().csId(), leg.responder(), leg.initiator(),
                leg.ssrcs().cs2(), leg.cs2().fingerprint()));
        if (!carriesMedia) {
            return;
        }
        try {
            keyLog.srtpKeys(leg.initiator(), leg.responder(), leg.ssrcs().cs1(), leg.cs1());
            keyLog.srtpKeys(leg.responder(), leg.initiator(), leg.ssrcs().cs2(), leg.cs2());
        } catch (RuntimeException ex) {
            LOG.debug("key log failed: {}", ex.toString());
        }
    }
}
