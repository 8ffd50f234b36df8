package org.kmsconf.sip.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.kmsclient.KmsException;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.NonMediaSession;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResult;
import org.kmsconf.mikey.message.Ssrc;

/**
 * The shipped {@link KeyAgent}: the RFC 6043 mode-1 exchanges of the mikey module, with the KMS reached through the
 * kms-client module's HTTP client ({@code POST /kms}, {@code application/mikey}). One instance per KMS user: a UE, or the
 * conference system (whose identities are the factory and every focus). Thread-safe; the replay cache of its
 * {@link PartyContext} covers every TRANSFER_INIT and TRANSFER_RESP this party receives.
 */
public final class MikeyKeyAgent implements KeyAgent {
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
            throw KeyErrors.fromKms(answer, e, "ticket request");
        }
    }

    // ------------------------------------------------------------ Ticket Transfer, initiator (§4.2.2)

    @Override
    public TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs, Set<NonMediaSession> nonMedia)
            throws KeyManagementException {
        if (!(ticket instanceof GrantedTicket g)) {
            throw new IllegalArgumentException("not a ticket of this agent");
        }
        // Only the initiator's SSRC (CS 1) travels in TRANSFER_INIT; null = left for the focus to assign.
        List<Ssrc> mine = new ArrayList<>(Collections.singletonList(ssrcs.cs1().isAssigned() ? ssrcs.cs1() : null));
        TransferInitiator ti;
        try {
            ti = TransferInitiator.create(g.grant,
                    new TransferInitiator.Spec(g.initiator, responder, mine, offer, nonMedia), ctx);
        } catch (MikeyException e) {
            throw KeyErrors.local(e, "TRANSFER_INIT");
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
                    throw KeyErrors.local(e, "TRANSFER_RESP");
                }
                return CryptoSessions.leg(initiator, r, transferResp);
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
            throw KeyErrors.local(e, "TRANSFER_INIT").withErrorMessage(TransferResponder.refusal(transferInit, e.errorCode(),
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
                return CryptoSessions.offered(tr);
            }

            @Override
            public ResolvedTransfer resolve(String asIdentity) throws KeyManagementException {
                byte[] resolveInit;
                try {
                    resolveInit = tr.resolveInit(asIdentity, kmsIdentity, pskId, psk);
                } catch (MikeyException e) {
                    throw KeyErrors.local(e, "RESOLVE_INIT");
                }
                byte[] answer = exchange(resolveInit, "ticket resolve");
                try {
                    tr.processResolveResponse(answer);
                } catch (MikeyException e) {
                    tr.destroy();
                    throw KeyErrors.fromKms(answer, e, "ticket resolve as " + asIdentity);
                }
                return new ResolvedExchange(tr, asIdentity);
            }

            @Override
            public byte[] refusal(ErrorCode code) {
                return ResolvedExchange.errorOf(tr, code);
            }
        };
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
}
