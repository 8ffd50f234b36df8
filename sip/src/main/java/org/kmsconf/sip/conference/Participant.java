package org.kmsconf.sip.conference;

import java.time.Instant;
import org.kmsconf.mikey.message.Ssrc;

/**
 * One participant of a conference as the focus sees it: who (the identity its ticket authenticated), how it joined,
 * on which SIP dialog, with which SSRC (unique in the conference), and the signalling adapter's leg {@code L} (keys,
 * media port, dialog), which the model carries but never looks into. Changed only by its {@link Conference}, under
 * the conference's lock.
 */
public final class Participant<L> {
    /** RFC 4575 §5.7.2 joining-method values the focus uses. */
    public enum JoinMethod { DIALED_IN, DIALED_OUT }

    /** RFC 4575 §5.7.1 endpoint status values the focus uses. */
    public enum Status { DIALING_OUT, CONNECTED }

    private final String identity;
    private final JoinMethod joinMethod;
    private final Instant since;
    private Status status;
    private String dialogId;
    private Ssrc ssrc;
    private L leg;

    Participant(String identity, JoinMethod joinMethod, Instant since, Status status, String dialogId, Ssrc ssrc,
                L leg) {
        this.identity = identity;
        this.joinMethod = joinMethod;
        this.since = since;
        this.status = status;
        this.dialogId = dialogId;
        this.ssrc = ssrc;
        this.leg = leg;
    }

    public String identity() {
        return identity;
    }

    public JoinMethod joinMethod() {
        return joinMethod;
    }

    public Instant since() {
        return since;
    }

    public Status status() {
        return status;
    }

    /** The SIP dialog of the participant's leg (Call-ID and tags); empty while dialling out. */
    public String dialogId() {
        return dialogId;
    }

    public Ssrc ssrc() {
        return ssrc;
    }

    public L leg() {
        return leg;
    }

    public boolean connected() {
        return status == Status.CONNECTED;
    }

    void connect(String dialog, Ssrc newSsrc, L newLeg) {
        this.status = Status.CONNECTED;
        this.dialogId = dialog;
        this.ssrc = newSsrc;
        this.leg = newLeg;
    }

    L replaceLeg(L newLeg) {
        L old = leg;
        leg = newLeg;
        return old;
    }

    @Override
    public String toString() {
        return "Participant[" + identity + ", " + status + ", " + joinMethod + ", ssrc " + ssrc + "]";
    }
}
