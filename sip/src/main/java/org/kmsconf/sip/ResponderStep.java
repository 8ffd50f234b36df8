package org.kmsconf.sip;

import java.util.List;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.SipStatus.Answer;
import org.kmsconf.sip.SipStatus.Carrier;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.TicketScope;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.sdp.KeyMgmtSdp;
import org.kmsconf.sip.stack.SipNode;
import org.kmsconf.sip.trace.CheckName;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.kmsconf.sip.trace.SignallingCheck;

/**
 * The one responder step for a keyed request (TR 33.829 flows 1 b, 3 b, 4 b/c, 5 b), used by the factory, the focus
 * and the user agent alike: find the TRANSFER_INIT (SDP {@code a=key-mgmt} or an {@code application/mikey} REFER
 * body), run the checks that need no KMS, check it is addressed to us, RESOLVE the ticket, and check that the
 * authenticated initiator is the request's sender. Every failure is answered here, with the status of
 * {@link SipStatus}; a caller that gets a value holds an authenticated transfer.
 */
public final class ResponderStep {
    private final SipNode node;
    private final SipMessages msgs;
    private final Tracer tracer;
    private final KeyAgent agent;

    public ResponderStep(SipNode node, SipMessages msgs, Tracer tracer, KeyAgent agent) {
        this.node = node;
        this.msgs = msgs;
        this.tracer = tracer;
        this.agent = agent;
    }

    /** A TRANSFER_INIT that parsed, passed the checks that need no KMS, and is addressed to us. */
    public final class Received {
        private final ServerTransaction stx;
        private final Request req;
        private final Carrier carrier;
        private final String party;
        private final IncomingTransfer in;
        private final KeyMgmtSdp.Read offer;

        private Received(ServerTransaction stx, Request req, Carrier carrier, String party, IncomingTransfer in,
                         KeyMgmtSdp.Read offer) {
            this.stx = stx;
            this.req = req;
            this.carrier = carrier;
            this.party = party;
            this.in = in;
            this.offer = offer;
        }

        /** What the TRANSFER_INIT claims (IDRi, the ticket's IDRr), not yet authenticated. */
        public TicketScope claimed() {
            return new TicketScope(in.claimedInitiator(), in.claimedResponders());
        }

        /** Refuses before any KMS exchange, with an unauthenticated MIKEY error (the ticket is not resolved). */
        public void refuse(Outcome.Refused<?> refused) {
            tracer.outcome(party, refused, in.claimedInitiator());
            answer(stx, req, SipStatus.of(refused.failed(), carrier), refused.detail(), in::refusal);
        }

        private ResponderStep step() {
            return ResponderStep.this;
        }

        /**
         * RESOLVE as {@code identity} (the factory: the focus URI it just allocated), then the initiator must be
         * the request's From. Empty when refused (already answered).
         */
        public Optional<Keyed> resolve(String identity) {
            ResolvedTransfer resolved;
            try {
                resolved = in.resolve(identity);
                tracer.kms(party, KmsExchange.RESOLVE, List.of(identity), true, "");
                tracer.check(party, SignallingCheck.INITIATOR_AUTHENTICATED, true, resolved.initiator());
            } catch (KeyManagementException e) {
                tracer.kms(party, KmsExchange.RESOLVE, List.of(identity), false, e.getMessage());
                tracer.check(party, SignallingCheck.INITIATOR_AUTHENTICATED, false, e.getMessage());
                node.respond(stx, msgs.refusal(SipStatus.of(e, carrier), req, SipStatus.describe(e),
                        in.refusal(e.mikeyError().orElse(ErrorCode.UNSPECIFIED))));
                return Optional.empty();
            }
            Keyed keyed = new Keyed(this, resolved);
            String from = SipMessages.fromIdentity(req);
            boolean same = resolved.initiator().equals(from);
            tracer.check(party, SignallingCheck.INITIATOR_IS_FROM, same, resolved.initiator());
            if (!same) {
                keyed.refuse(SignallingCheck.INITIATOR_IS_FROM, "ticket initiator " + resolved.initiator()
                        + " is not the sender " + from);
                return Optional.empty();
            }
            return Optional.of(keyed);
        }
    }

    /** An authenticated TRANSFER_INIT: its initiator is the sender, its ticket scope vouched for by the KMS. */
    public static final class Keyed {
        private final Received received;
        private final ResolvedTransfer transfer;

        private Keyed(Received received, ResolvedTransfer transfer) {
            this.received = received;
            this.transfer = transfer;
        }

        public ResolvedTransfer transfer() {
            return transfer;
        }

        public TicketScope ticket() {
            return new TicketScope(transfer.initiator(), transfer.responders());
        }

        public String initiator() {
            return transfer.initiator();
        }

        /**
         * The offer's SDP as read for its TRANSFER_INIT (media address, rtcp-mux, BFCP line: one parse for all);
         * {@link KeyMgmtSdp.Read#NOTHING} for a REFER.
         */
        public KeyMgmtSdp.Read offer() {
            return received.offer;
        }

        /** Refuses with the conference model's reason; the MIKEY error body is authenticated (MPKi). */
        public void refuse(Outcome.Refused<?> refused) {
            received.step().tracer.outcome(received.party, refused, transfer.initiator());
            received.step().answer(received.stx, received.req, SipStatus.of(refused.failed(), received.carrier),
                    refused.detail(), transfer::refusal);
        }

        /** Refuses for a failed signalling check (already traced by the caller). */
        public void refuse(CheckName failed, String detail) {
            received.step().answer(received.stx, received.req, SipStatus.of(failed, received.carrier), detail,
                    transfer::refusal);
        }

        /** Refuses for a failed key-management step after the resolve (e.g. the TRANSFER_RESP could not be built). */
        public void refuse(KeyManagementException e) {
            transfer.discard();
            received.step().node.respond(received.stx, received.step().msgs.refusal(
                    SipStatus.of(e, received.carrier), received.req, SipStatus.describe(e), null));
        }
    }

    /**
     * Reads the TRANSFER_INIT of {@code req} and checks it before any KMS exchange. {@code self} is the identity it
     * must be addressed to (IDRr: the factory, the focus URI or the user). Empty when refused (already answered).
     */
    public Optional<Received> receive(ServerTransaction stx, Request req, Carrier carrier, String party,
                                      String self) {
        KeyMgmtSdp.Read offer = carrier == Carrier.OFFER ? KeyMgmtSdp.read(SipMessages.bodyText(req))
                : KeyMgmtSdp.Read.NOTHING;
        Optional<byte[]> init = carrier == Carrier.OFFER ? offer.keyMgmt() : mikeyBody(req);
        tracer.check(party, SignallingCheck.CARRIES_TRANSFER_INIT, init.isPresent(), SipMessages.fromIdentity(req));
        if (init.isEmpty()) {
            answer(stx, req, SipStatus.of(SignallingCheck.CARRIES_TRANSFER_INIT, carrier), carrier == Carrier.OFFER
                    ? "no a=key-mgmt:mikey in the offer" : "a REFER must carry a TRANSFER_INIT (application/mikey)",
                    code -> null);
            return Optional.empty();
        }
        IncomingTransfer in;
        try {
            in = agent.receive(init.get());
        } catch (KeyManagementException e) {
            node.respond(stx, msgs.refusal(SipStatus.of(e, carrier), req, SipStatus.describe(e),
                    e.errorMessage().orElse(null)));
            return Optional.empty();
        }
        boolean ours = in.addressedResponder().equals(self);
        tracer.check(party, SignallingCheck.ADDRESSED_TO_US, ours, in.addressedResponder());
        if (!ours) {
            answer(stx, req, SipStatus.of(SignallingCheck.ADDRESSED_TO_US, carrier), "the TRANSFER_INIT is addressed to "
                    + in.addressedResponder() + ", not " + self, in::refusal);
            return Optional.empty();
        }
        return Optional.of(new Received(stx, req, carrier, party, in, offer));
    }

    private static Optional<byte[]> mikeyBody(Request req) {
        byte[] body = SipMessages.body(req);
        return body.length > 0 && SipMessages.hasContentType(req, "application", "mikey") ? Optional.of(body)
                : Optional.empty();
    }

    /** How to build the MIKEY error body of a refusal for a given error code (null: none). */
    @FunctionalInterface
    private interface ErrorBody {
        byte[] of(ErrorCode code);
    }

    private void answer(ServerTransaction stx, Request req, Answer a, String reason, ErrorBody body) {
        byte[] mikey = a.mikeyError() == null ? null : body.of(a.mikeyError());
        node.respond(stx, msgs.refusal(a.status(), req, reason, mikey));
    }
}
