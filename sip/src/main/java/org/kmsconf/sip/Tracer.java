package org.kmsconf.sip;

import java.time.Instant;
import java.util.List;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports flow steps to the {@link FlowListener} and the log, and leg keys to the opt-in {@link KeyLogListener}. */
final class Tracer {
    private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);
    private final FlowListener listener;
    private final KeyLogListener keyLog;

    Tracer(FlowListener listener, KeyLogListener keyLog) {
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

    void kms(String party, FlowEvent.KmsExchange exchange, List<String> identities, boolean ok, String detail) {
        LOG.debug("{}: {} {} {} {}", party, exchange, identities, ok ? "ok" : "refused", detail);
        emit(new FlowEvent.KmsDone(Instant.now(), party, exchange, identities, ok, detail == null ? "" : detail));
    }

    void check(String party, String check, boolean passed, String detail) {
        if (!passed) {
            LOG.info("{}: check {} failed: {}", party, check, detail);
        }
        emit(new FlowEvent.Check(Instant.now(), party, check, passed, detail == null ? "" : detail));
    }

    void conference(String party, String focus, String change, String owner, List<String> allowed,
                    List<String> participants) {
        LOG.info("{}: conference {} {} (owner {}, allowed {}, participants {})", party, focus, change, owner,
                allowed, participants);
        emit(new FlowEvent.ConferenceChanged(Instant.now(), party, focus, change, owner, allowed, participants));
    }

    /** Both crypto sessions of a leg: fingerprints to the trace, keys to the key log. */
    void legKeys(String party, String legId, Leg leg) {
        legKeys(party, legId, leg, true);
    }

    /**
     * As {@link #legKeys(String, String, Leg)}; {@code carriesMedia} false (the creator's leg with the factory) keeps
     * the leg out of the key log, which lists only keys that protect media.
     */
    void legKeys(String party, String legId, Leg leg, boolean carriesMedia) {
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
