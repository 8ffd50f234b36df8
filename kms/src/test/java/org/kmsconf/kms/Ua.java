package org.kmsconf.kms;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.Profile;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.replay.ReplayCache;

/** A test user agent: one public identity with its provisioned key, speaking to the KMS through the client. */
public final class Ua {
    public final String uri;
    public final byte[] keyId;
    public final KeyMaterial psk;
    public final PartyContext ctx;

    public Ua(ProvisionedKey k, String uri, Clock clock) {
        this.uri = uri;
        this.keyId = k.keyId();
        byte[] p = k.psk();
        this.psk = KeyMaterial.of(p);
        java.util.Arrays.fill(p, (byte) 0);
        this.ctx = new PartyContext(clock, new SecureRandom(), new ReplayCache(10_000, ReplayCache.DEFAULT_SKEW, clock));
    }

    public Ua(ProvisionedKey k, String uri) {
        this(k, uri, Clock.systemUTC());
    }

    /** The same user with another clock (e.g. skewed). */
    public Ua withClock(ProvisionedKey k, Clock clock) {
        return new Ua(k, uri, clock);
    }

    public TicketRequest ticketRequest(String kmsUri, String... responders) {
        return TicketRequest.create(TicketRequest.Spec.conferencing(uri, kmsUri, keyId, List.of(responders),
                AlgorithmSet.SET_128), psk, ctx);
    }

    public TicketRequest ticketRequestValidUntil(String kmsUri, Instant validTo, String... responders) {
        return TicketRequest.create(new TicketRequest.Spec(uri, kmsUri, keyId, List.of(responders),
                AlgorithmSet.SET_128, null, validTo, Profile.FLAGS), psk, ctx);
    }

    /** REQUEST exchange through the client; a KMS refusal throws MikeyException with the KMS's error code. */
    public TicketGrant requestTicket(KmsClient kms, String kmsUri, String... responders) {
        TicketRequest tr = ticketRequest(kmsUri, responders);
        return tr.processResponse(kms.exchange(tr.message()));
    }

    /**
     * A fresh REQUEST_INIT for {@code responder} sent through {@code kms}, for load threads: the request and the
     * KMS's answer, or a null answer when no KMS answered (a node killed under the test).
     */
    public Sent send(KmsClient kms, String responder) {
        TicketRequest tr = ticketRequest(KmsConfig.DEFAULT_KMS_IDENTITY, responder);
        try {
            return new Sent(tr, kms.exchange(tr.message()));
        } catch (RuntimeException e) {
            return new Sent(tr, null);
        }
    }

    public record Sent(TicketRequest request, byte[] answer) {
    }

    /** A TRANSFER_INIT to {@code responderUri} carrying the granted ticket (one audio m-line). */
    public TransferInitiator transferInit(TicketGrant grant, String responderUri) {
        return TransferInitiator.create(grant,
                new TransferInitiator.Spec(uri, responderUri, List.of(Ssrc.of(0x1111))), ctx);
    }

    /** As responder: receive TRANSFER_INIT and build RESOLVE_INIT_PSK as {@code asUri} (e.g. a focus URI). */
    public Resolving resolveInit(byte[] transferInit, String asUri, String kmsUri) {
        TransferResponder r = TransferResponder.receive(transferInit, ctx);
        return new Resolving(r, r.resolveInit(asUri, kmsUri, keyId, psk));
    }

    public record Resolving(TransferResponder responder, byte[] resolveInit) {
    }
}
