package org.kmsconf.sip.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.kmsclient.KmsException;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResponse;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The shipped {@link KeyAgent}: the RFC 6043 mode-1 exchanges of the mikey module, with the KMS reached through the
 * kms module's HTTP client ({@code POST /kms}, {@code application/mikey}). One instance per KMS user: a UE, or the
 * conference system (whose identities are the factory and every focus). Thread-safe; the replay cache of its
 * {@link PartyContext} covers every TRANSFER_INIT and TRANSFER_RESP this party receives.
 */
public final class MikeyKeyAgent implements KeyAgent {
    /** CS IDs of the one audio m-line (RFC 4567 §3.1: two per m-line; PROFILE.md: CS 1 initiator's stream). */
    private static final int CS_INITIATOR = 1;
    private static final int CS_RESPONDER = 2;

    private final KmsClient kms;
    private final String kmsIdentity;
    private final byte[] pskId;
    private final KeyMaterial psk;
    private final AlgorithmSet set;
    private final PartyContext ctx;
    private final List<SrtpPolicy> offer;

    /**
     * @param kms the KMS client (shared, owned by the caller)
     * @param kmsIdentity the KMS's identity (IDRkms), e.g. {@code sip:kms.operator}
     * @param pskId the key id of our PSK (IDRpsk)
     * @param psk our PSK shared with the KMS (owned by the caller; never logged)
     * @param set the algorithm set of the tickets we request (128-bit default, or the 256-bit set)
     */
    public MikeyKeyAgent(KmsClient kms, String kmsIdentity, byte[] pskId, KeyMaterial psk, AlgorithmSet set,
                         PartyContext ctx) {
        this(kms, kmsIdentity, pskId, psk, set, ctx, List.of());
    }

    /**
     * As above, offering these SRTP policies in every TRANSFER_INIT, in order of preference (empty: the algorithm
     * set's default, AES_CM_128_HMAC_SHA1_80 or AES_256_CM_HMAC_SHA1_80); the responder takes the first it runs.
     */
    public MikeyKeyAgent(KmsClient kms, String kmsIdentity, byte[] pskId, KeyMaterial psk, AlgorithmSet set,
                         PartyContext ctx, List<SrtpPolicy> offer) {
        this.kms = Objects.requireNonNull(kms);
        this.kmsIdentity = Objects.requireNonNull(kmsIdentity);
        this.pskId = pskId.clone();
        this.psk = Objects.requireNonNull(psk);
        this.set = set == null ? AlgorithmSet.SET_128 : set;
        this.ctx = ctx == null ? PartyContext.system() : ctx;
        this.offer = List.copyOf(offer);
        for (SrtpPolicy p : this.offer) {
            if (!this.set.allows(p)) {
                throw new IllegalArgumentException(p + " is outside the algorithm set " + this.set);
            }
        }
    }

    // ------------------------------------------------------------ Ticket Request (RFC 6043 §4.2.1)

    private static final class GrantedTicket implements Ticket {
        final String initiator;
        final TicketGrant grant;

        GrantedTicket(String initiator, TicketGrant grant) {
            this.initiator = initiator;
            this.grant = grant;
        }

        @Override
        public String initiator() {
            return initiator;
        }

        @Override
        public List<String> responders() {
            return grant.responders();
        }

        @Override
        public void destroy() {
            grant.destroy();
        }

        @Override
        public String toString() {
            return "Ticket[" + initiator + " -> " + grant.responders() + "]";
        }
    }

    @Override
    public Ticket requestTicket(String initiator, List<String> responders) throws KeyManagementException {
        TicketRequest req = TicketRequest.create(
                TicketRequest.Spec.conferencing(initiator, kmsIdentity, pskId, responders, set), psk, ctx);
        byte[] answer = exchange(req.message(), "ticket request");
        try {
            return new GrantedTicket(initiator, req.processResponse(answer));
        } catch (MikeyException e) {
            throw fromKms(answer, e, "ticket request");
        }
    }

    // ------------------------------------------------------------ Ticket Transfer, initiator (§4.2.2)

    @Override
    public TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs) throws KeyManagementException {
        if (!(ticket instanceof GrantedTicket g)) {
            throw new IllegalArgumentException("not a ticket of this agent");
        }
        // Only the initiator's SSRC (CS 1) travels in TRANSFER_INIT; null = left for the focus to assign.
        List<Ssrc> mine = new ArrayList<>(Collections.singletonList(ssrcs.cs1().isAssigned() ? ssrcs.cs1() : null));
        TransferInitiator ti;
        try {
            ti = TransferInitiator.create(g.grant, new TransferInitiator.Spec(g.initiator, responder, mine, offer),
                    ctx);
        } catch (MikeyException e) {
            throw local(e, "TRANSFER_INIT");
        }
        String initiator = g.initiator;
        return new TransferOffer() {
            @Override
            public byte[] message() {
                return ti.message();
            }

            @Override
            public Leg complete(byte[] transferResp) throws KeyManagementException {
                TransferResult r;
                try {
                    r = ti.processResponse(transferResp);
                } catch (MikeyException e) {
                    throw local(e, "TRANSFER_RESP");
                }
                return leg(initiator, r, transferResp);
            }
        };
    }

    // ------------------------------------------------------------ Ticket Transfer + Resolve, responder (§4.2.3)

    @Override
    public IncomingTransfer receive(byte[] transferInit) throws KeyManagementException {
        TransferResponder tr;
        try {
            tr = TransferResponder.receive(transferInit, ctx);
        } catch (MikeyException e) {
            // RFC 6043 §5.2: refused before the KMS; the initiator learns why from an (unauthenticated) error message
            throw local(e, "TRANSFER_INIT").withErrorMessage(TransferResponder.refusal(transferInit, e.errorCode(),
                    ctx));
        }
        return new IncomingTransfer() {
            @Override
            public String claimedInitiator() {
                return tr.initiator();
            }

            @Override
            public String addressedResponder() {
                return tr.addressedResponder();
            }

            @Override
            public List<String> claimedResponders() {
                return tr.ticketResponders();
            }

            @Override
            public Ssrcs offeredSsrcs() {
                return offered(tr);
            }

            @Override
            public ResolvedTransfer resolve(String asIdentity) throws KeyManagementException {
                byte[] resolveInit;
                try {
                    resolveInit = tr.resolveInit(asIdentity, kmsIdentity, pskId, psk);
                } catch (MikeyException e) {
                    throw local(e, "RESOLVE_INIT");
                }
                byte[] answer = exchange(resolveInit, "ticket resolve");
                try {
                    tr.processResolveResponse(answer);
                } catch (MikeyException e) {
                    tr.destroy();
                    throw fromKms(answer, e, "ticket resolve as " + asIdentity);
                }
                return resolved(tr, asIdentity, transferInit);
            }

            @Override
            public byte[] refusal(ErrorCode code) {
                return errorOf(tr, code);
            }
        };
    }

    private ResolvedTransfer resolved(TransferResponder tr, String as, byte[] transferInit) {
        return new ResolvedTransfer() {
            @Override
            public String initiator() {
                return tr.initiator();
            }

            @Override
            public List<String> responders() {
                return tr.ticketResponders();
            }

            @Override
            public String resolvedAs() {
                return as;
            }

            @Override
            public Optional<Instant> validUntil() {
                return tr.ticketValidTo();
            }

            @Override
            public Ssrcs offeredSsrcs() {
                return offered(tr);
            }

            @Override
            public Leg answer(Ssrcs finalSsrcs) throws KeyManagementException {
                try {
                    TransferResponse resp = tr.respond(List.of(finalSsrcs.cs2()),
                            Map.of(CS_INITIATOR, finalSsrcs.cs1()));
                    return leg(tr.initiator(), resp.result(), resp.message());
                } catch (MikeyException | IllegalArgumentException e) {
                    throw new KeyManagementException(KeyManagementException.Reason.INVALID,
                            e instanceof MikeyException m ? m.errorCode() : ErrorCode.UNSPECIFIED,
                            "TRANSFER_RESP: " + e.getMessage(), e);
                } finally {
                    tr.destroy();
                }
            }

            @Override
            public void discard() {
                tr.destroy();
            }

            @Override
            public byte[] refusal(ErrorCode code) {
                try {
                    return errorOf(tr, code);
                } finally {
                    tr.destroy();
                }
            }
        };
    }

    private static byte[] errorOf(TransferResponder tr, ErrorCode code) {
        try {
            return tr.errorMessage(code);
        } catch (MikeyException | IllegalStateException e) {
            return null;
        }
    }

    private static Ssrcs offered(TransferResponder tr) {
        Ssrc cs1 = Ssrc.UNASSIGNED;
        Ssrc cs2 = Ssrc.UNASSIGNED;
        for (var e : tr.offeredSessions()) {
            Ssrc v = e.ssrc().orElse(Ssrc.UNASSIGNED);
            if (e.csId() == CS_INITIATOR) {
                cs1 = v;
            } else if (e.csId() == CS_RESPONDER) {
                cs2 = v;
            }
        }
        return new Ssrcs(cs1, cs2);
    }

    private static Leg leg(String initiator, TransferResult r, byte[] transferResp) throws KeyManagementException {
        SrtpKeys cs1 = r.keys(CS_INITIATOR);
        SrtpKeys cs2 = r.keys(CS_RESPONDER);
        if (cs1 == null || cs2 == null) {
            throw new KeyManagementException(KeyManagementException.Reason.INVALID, ErrorCode.INVALID_SP,
                    "TRANSFER exchange without crypto sessions 1 and 2");
        }
        Ssrcs ssrcs = new Ssrcs(r.ssrc(CS_INITIATOR), r.ssrc(CS_RESPONDER));
        return new Leg(initiator, r.responderUri(), r.responderNamedInTicket(), ssrcs, cs1, cs2, transferResp);
    }

    // ------------------------------------------------------------ errors

    private byte[] exchange(byte[] message, String what) throws KeyManagementException {
        try {
            return kms.exchange(message);
        } catch (KmsException e) {
            throw new KeyManagementException(KeyManagementException.Reason.KMS_UNAVAILABLE, null,
                    what + ": " + e.getMessage(), e);
        }
    }

    /** A KMS answer that did not give us what we asked: an error message from the KMS is a refusal. */
    private static KeyManagementException fromKms(byte[] answer, MikeyException e, String what) {
        boolean kmsError = answer.length > 1 && answer[1] == 6; // RFC 3830 §6.1: data type 6 = Error message
        return new KeyManagementException(kmsError ? KeyManagementException.Reason.KMS_REFUSED : reasonOf(e),
                e.errorCode(), what + ": " + e.getMessage(), e);
    }

    private static KeyManagementException local(MikeyException e, String what) {
        return new KeyManagementException(reasonOf(e), e.errorCode(), what + ": " + e.getMessage(), e);
    }

    private static KeyManagementException.Reason reasonOf(MikeyException e) {
        return switch (e.errorCode()) {
            case AUTH_FAILURE, INVALID_MAC -> KeyManagementException.Reason.AUTHENTICATION;
            case INVALID_TS -> KeyManagementException.Reason.REPLAY;
            default -> KeyManagementException.Reason.INVALID;
        };
    }
}
