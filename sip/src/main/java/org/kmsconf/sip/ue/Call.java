package org.kmsconf.sip.ue;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sip.Dialog;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.sdp.BfcpLine;
import org.kmsconf.sip.sdp.KeyMgmtSdp;

/**
 * One keyed SIP session of a user agent with a conference focus: the current leg keys (replaced on a re-INVITE or
 * UPDATE with a new TRANSFER_INIT), this party's SSRC and the focus's media address.
 */
public final class Call {
    private final String self;
    private final String peer;
    private final Dialog dialog;
    private final InetSocketAddress localMedia;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile Leg leg;
    private volatile InetSocketAddress peerMedia;
    private volatile boolean peerRtcpMux;
    private boolean awaitingAck;
    private volatile Ticket ticket;
    private volatile Optional<BfcpLine> bfcp = Optional.empty();
    private FloorSession floor;

    Call(String self, String peer, Dialog dialog, Leg leg, InetSocketAddress localMedia, InetSocketAddress peerMedia) {
        this.self = self;
        this.peer = peer;
        this.dialog = dialog;
        this.leg = leg;
        this.localMedia = localMedia;
        this.peerMedia = peerMedia;
    }

    /** Our public identity. */
    public String self() {
        return self;
    }

    /** The focus URI (authenticated as the IDRr/IDRi of the TRANSFER exchange). */
    public String peer() {
        return peer;
    }

    /** The keys of the current TRANSFER exchange of this call. */
    public Leg leg() {
        return leg;
    }

    /**
     * The ticket of the last TRANSFER_INIT we sent on this call (null on a call-out): re-use it for a re-INVITE or
     * UPDATE that keeps the allowed set (TR 33.829 5.3.3.1.2).
     */
    public Ticket ticket() {
        return ticket;
    }

    void ticket(Ticket t) {
        this.ticket = t;
    }

    /** True when we sent the TRANSFER_INIT (call-in), false when the focus did (call-out). */
    public boolean weInitiated() {
        return leg.initiator().equals(self);
    }

    /** The SSRC we send with (assigned by the focus). */
    public Ssrc ssrc() {
        return weInitiated() ? leg.ssrcs().cs1() : leg.ssrcs().cs2();
    }

    /** Keys of what we send (CS 1 when we initiated, CS 2 otherwise). */
    public SrtpKeys sendKeys() {
        return weInitiated() ? leg.cs1() : leg.cs2();
    }

    /** Keys of what the focus sends us. */
    public SrtpKeys receiveKeys() {
        return weInitiated() ? leg.cs2() : leg.cs1();
    }

    /** Where the focus receives our RTP. */
    public InetSocketAddress peerMedia() {
        return peerMedia;
    }

    /** Where this party receives RTP and RTCP: the address its SDP advertised (with {@code a=rtcp-mux}). */
    public InetSocketAddress localMedia() {
        return localMedia;
    }

    /** Whether the focus's last SDP for this call said {@code a=rtcp-mux} (RFC 5761): SRTCP on the RTP port. */
    public boolean peerRtcpMux() {
        return peerRtcpMux;
    }

    /** A call we answered: its 2xx is not acknowledged yet ({@link #acknowledged}). */
    synchronized void awaitAck() {
        awaitingAck = true;
    }

    /** The ACK of the answer we sent arrived; true the first time, when the call was awaiting it. */
    synchronized boolean acknowledged() {
        boolean first = awaitingAck;
        awaitingAck = false;
        return first;
    }

    /** Records what the peer's SDP (offer, answer or re-offer) said about RTCP multiplexing. */
    void peerSdp(KeyMgmtSdp.Read sdp) {
        this.peerRtcpMux = sdp.rtcpMux();
    }

    /** The focus's floor control server for this call, when the last answer or offer gave one. */
    public Optional<BfcpLine> bfcp() {
        return bfcp;
    }

    void bfcp(Optional<BfcpLine> line) {
        this.bfcp = line;
    }

    /** Floor control in this conference, when the call has a BFCP stream. */
    public synchronized Optional<FloorSession> floor() {
        return bfcp.isPresent() ? Optional.ofNullable(floor) : Optional.empty();
    }

    synchronized FloorSession floorSession(UeContext ue) {
        if (floor == null) {
            floor = new FloorSession(ue, peer);
        }
        return floor;
    }

    synchronized void closeFloor() {
        if (floor != null) {
            floor.close();
            floor = null;
        }
    }

    /** Completes with a reason when the call ends (our BYE or the focus's); the leg's keys are then zeroed. */
    public CompletableFuture<String> ended() {
        return ended;
    }

    public boolean isActive() {
        return !ended.isDone();
    }

    /** The call's SIP Call-ID (for logs and operators). */
    public String callId() {
        return dialog.getCallId().getCallId();
    }

    /**
     * Where the call's in-dialog requests go, and the tags that name the dialog: what any proxy on the path sees.
     * For diagnostics and for the demo's attacker, who forges a request inside this dialog.
     */
    public record DialogView(String callId, String localTag, String remoteTag, String remoteTarget) { }

    public DialogView dialogView() {
        return new DialogView(callId(), dialog.getLocalTag(), dialog.getRemoteTag(),
                dialog.getRemoteTarget() == null ? "" : dialog.getRemoteTarget().getURI().toString());
    }

    /** The SIP dialog of the call (for the signalling adapters of this package). */
    Dialog dialog() {
        return dialog;
    }

    void rekey(Leg newLeg, InetSocketAddress newPeerMedia) {
        Leg old = this.leg;
        this.leg = newLeg;
        if (newPeerMedia != null) {
            this.peerMedia = newPeerMedia;
        }
        if (old != null && old != newLeg) {
            old.destroy();
        }
    }

    /** The call is over: its keys are zeroed (copy them before if you need them, e.g. for a key log). */
    void end(String reason) {
        if (ended.complete(reason)) {
            closeFloor();
            Leg l = leg;
            if (l != null) {
                l.destroy();
            }
        }
    }

    @Override
    public String toString() {
        return "Call[" + self + " <-> " + peer + ", ssrc " + ssrc() + "]";
    }
}
