package org.kmsconf.ops;

import java.util.List;
import java.util.Set;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;

/**
 * The conference server's key agent with each KMS exchange timed: Ticket Request ({@link #requestTicket}) and Ticket
 * Resolve ({@link IncomingTransfer#resolve}), by outcome: {@code ok}; {@code refused} (the KMS answered with a MIKEY
 * error); {@code unavailable} (not reached, or garbage); {@code rejected} (the answer or the TRANSFER_INIT failed a
 * check here: MAC, replay, profile); {@code failed} (anything else). The steps without a KMS exchange pass through.
 */
public final class TimedKeyAgent implements KeyAgent {
    private final KeyAgent inner;
    private final ConferenceMetrics metrics;

    public TimedKeyAgent(KeyAgent inner, ConferenceMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public Ticket requestTicket(String initiator, List<String> responders) throws KeyManagementException {
        long t0 = System.nanoTime();
        String outcome = "failed";
        try {
            Ticket t = inner.requestTicket(initiator, responders);
            outcome = "ok";
            return t;
        } catch (KeyManagementException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            metrics.kmsExchange("REQUEST", outcome, System.nanoTime() - t0);
        }
    }

    static String outcomeOf(KeyManagementException e) {
        return switch (e.reason()) {
            case KMS_REFUSED -> "refused";
            case KMS_UNAVAILABLE -> "unavailable";
            case INVALID, AUTHENTICATION, REPLAY -> "rejected";
        };
    }

    @Override
    public TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs, Set<NonMediaSession> nonMedia)
            throws KeyManagementException {
        return inner.offer(ticket, responder, ssrcs, nonMedia);
    }

    @Override
    public IncomingTransfer receive(byte[] transferInit) throws KeyManagementException {
        IncomingTransfer in = inner.receive(transferInit);
        return new IncomingTransfer() {
            @Override
            public String claimedInitiator() {
                return in.claimedInitiator();
            }

            @Override
            public String addressedResponder() {
                return in.addressedResponder();
            }

            @Override
            public List<String> claimedResponders() {
                return in.claimedResponders();
            }

            @Override
            public Ssrcs offeredSsrcs() {
                return in.offeredSsrcs();
            }

            @Override
            public ResolvedTransfer resolve(String asIdentity) throws KeyManagementException {
                long t0 = System.nanoTime();
                String outcome = "failed";
                try {
                    ResolvedTransfer r = in.resolve(asIdentity);
                    outcome = "ok";
                    return r;
                } catch (KeyManagementException e) {
                    outcome = outcomeOf(e);
                    throw e;
                } finally {
                    metrics.kmsExchange("RESOLVE", outcome, System.nanoTime() - t0);
                }
            }

            @Override
            public byte[] refusal(ErrorCode code) {
                return in.refusal(code);
            }
        };
    }
}
