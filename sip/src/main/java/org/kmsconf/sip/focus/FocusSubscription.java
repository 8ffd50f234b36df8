package org.kmsconf.sip.focus;

import java.time.Instant;
import javax.sip.Dialog;
import org.kmsconf.control.confinfo.ConferenceInfoPublisher;

/**
 * One conference-package subscription at the focus (RFC 6665, RFC 4575): who subscribed (the From of the SUBSCRIBE,
 * a participant with a live leg when it was accepted), its dialog, until when it runs, the numbering of the
 * documents sent to it, and the NOTIFY in flight. NOTIFYs of one subscription go one at a time, each after the
 * previous one's final response (two in flight can overtake each other); changes that come meanwhile are folded
 * into the next one. Guarded by its own lock.
 */
final class FocusSubscription {
    /** Why a subscription ends (the {@code reason} of {@code Subscription-State: terminated}, RFC 6665 §4.1.3). */
    enum End {
        /** Un-SUBSCRIBE or expiry. */
        TIMEOUT("timeout"),
        /** The subscriber's leg ended or it was removed: it may no longer see the conference. */
        REJECTED("rejected"),
        /** The conference ended. */
        NORESOURCE("noresource"),
        /** Replaced by a newer subscription of the same participant. */
        DEACTIVATED("deactivated");

        final String reason;

        End(String reason) {
            this.reason = reason;
        }
    }

    final String subscriber;
    final String focusUri;
    final String dialogId;
    final Dialog dialog;
    final Instant created;
    final ConferenceInfoPublisher publisher = new ConferenceInfoPublisher();
    private Instant expires;
    private boolean sending;
    private boolean changed;
    private boolean fullState;
    private End end;
    private boolean endSent;

    FocusSubscription(String subscriber, String focusUri, String dialogId, Dialog dialog, Instant created,
                      Instant expires) {
        this.subscriber = subscriber;
        this.focusUri = focusUri;
        this.dialogId = dialogId;
        this.dialog = dialog;
        this.created = created;
        this.expires = expires;
    }

    synchronized Instant expires() {
        return expires;
    }

    /** A refresh: a new expiry and the full state again. Returns whether a NOTIFY must be started. */
    synchronized boolean refresh(Instant newExpiry) {
        expires = newExpiry;
        return mark(true);
    }

    /** The conference changed. Returns whether a NOTIFY must be started (none is in flight). */
    synchronized boolean changed() {
        return mark(false);
    }

    /** Ends the subscription. Returns whether a NOTIFY must be started. */
    synchronized boolean end(End why) {
        if (end != null) {
            return false;
        }
        end = why;
        return mark(false);
    }

    synchronized boolean ended() {
        return end != null;
    }

    private boolean mark(boolean full) {
        changed = true;
        fullState |= full;
        if (sending || endSent) {
            return false;
        }
        sending = true;
        return true;
    }

    /** What the next NOTIFY says, taken by the sender; null when there is nothing left to send. */
    synchronized Next take() {
        if (endSent || (!changed && end == null)) {
            sending = false;
            return null;
        }
        changed = false;
        Next n = new Next(fullState, end);
        fullState = false;
        if (end != null) {
            endSent = true;
        }
        return n;
    }

    /** The NOTIFY to send: full state or the changes, or the last one (terminated). */
    record Next(boolean fullState, End end) { }

    @Override
    public String toString() {
        return "subscription of " + subscriber + " to " + focusUri;
    }
}
