package org.kmsconf.mikey.exchange;

import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.payload.Timestamp;
import org.kmsconf.mikey.replay.PartitionedReplayCache;

/**
 * The KMS side of MIKEY-TICKET mode 1 (RFC 6043 §4.2.1, §4.2.3, App. A) with PSK: issues base tickets
 * (REQUEST_INIT_PSK -> REQUEST_RESP) and resolves them with key forking (RESOLVE_INIT_PSK -> RESOLVE_RESP).
 * Users and policy come from a {@link KmsDirectory}; the KMS's identity and ticket protection keys from
 * {@link KmsSettings}. Every message gets an answer: a response, or an error message (with a V keyed like the
 * request once the request was authenticated, docs/profile.md); every refusal is one of {@link KmsRefusal}.
 * Thread-safe; no I/O. This class answers; {@link KmsAuthenticator} accepts the initial messages, {@link TicketIssuer}
 * and {@link TicketResolver} run the two exchanges.
 *
 * <p>Order of the checks (RFC 3830 §5.4, hardened against floods): what the bytes alone decide (decoding, payloads,
 * addressee, algorithms, timestamp within the skew); the sender's key (IDRpsk, or without it the key of IDRi / IDRr,
 * RFC 6043 §6.1); a read-only look-up in the sender's replay partition; the MAC; every check that depends on the
 * message only (ticket policy and templates, or the ticket's own MAC, validity and Initiator Data); only then is the
 * message <em>recorded</em> in the sender's replay partition ({@link PartitionedReplayCache}) and by the directory
 * ({@link KmsDirectory#firstSeen}: durable, shared between nodes), before any policy decision or key. So neither
 * unauthenticated traffic nor an authenticated sender's garbage takes room in the replay state, and one sender can
 * only fill its own partition.
 */
public final class KmsProtocol {
    private final PartyContext ctx;
    private final PartitionedReplayCache replay;
    private final TicketIssuer issuer;
    private final TicketResolver resolver;

    /**
     * A KMS whose replay state is one partition per authenticated user, each bounded by the context's replay cache
     * capacity, on the context's clock and skew.
     */
    public KmsProtocol(KmsSettings settings, KmsDirectory directory, PartyContext ctx) {
        this(settings, directory, ctx, new PartitionedReplayCache(ctx.replayCache().capacity(),
                ctx.replayCache().capacity(), ctx.replayCache().skew(), ctx.clock()));
    }

    public KmsProtocol(KmsSettings settings, KmsDirectory directory, PartyContext ctx,
            PartitionedReplayCache replay) {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(directory);
        this.ctx = Objects.requireNonNull(ctx);
        this.replay = Objects.requireNonNull(replay);
        KmsAuthenticator auth = new KmsAuthenticator(settings.kmsUri(), directory, ctx, replay);
        this.issuer = new TicketIssuer(settings, directory, ctx, auth);
        this.resolver = new TicketResolver(settings, directory, ctx, auth);
    }

    /** The replay state (per authenticated user), for metrics and restoring a durable journal. */
    public PartitionedReplayCache replayState() {
        return replay;
    }

    /** Handles one message from a user; never throws for bad input. */
    public KmsResult handle(byte[] requestBytes) {
        KmsAttempt a = new KmsAttempt();
        try {
            MikeyMessage m = MikeyCodec.decode(requestBytes);
            a.header = m.header();
            return switch (m.dataType()) {
                case REQUEST_INIT_PSK -> issuer.issue(m, requestBytes, a);
                case RESOLVE_INIT_PSK -> resolver.resolve(m, requestBytes, a);
                case REQUEST_INIT_PK, RESOLVE_INIT_PK -> throw KmsRefusal.PK_VARIANT.refuse(
                        m.dataType() + " (PK variant) is not supported by this KMS");
                default -> throw KmsRefusal.NOT_FOR_KMS.refuse(m.dataType() + " is not a message for the KMS");
            };
        } catch (KmsRefusal.Refused e) {
            if (e.refusal.code() == ErrorCode.INVALID_TS) {
                a.forgetAuthKey();
            }
            return refusal(a, e.errorCode(), e.refusal, oneLine(e));
        } catch (MikeyException e) {
            // only decoders throw plain MikeyExceptions: the message (or a part of it) is malformed
            return refusal(a, e.errorCode(), KmsRefusal.MALFORMED, oneLine(e));
        } catch (KmsAuthenticator.SharedReplayFailure e) {
            throw e.cause;
        } catch (RuntimeException e) {
            // Not expected for any input; answered like any refusal rather than propagated to the transport.
            return refusal(a, KmsRefusal.INTERNAL.code(), KmsRefusal.INTERNAL,
                    "internal error: " + e.getClass().getSimpleName());
        } finally {
            // Key hygiene: the request's auth key and the directory's PSK copy die with the answer.
            a.forgetAuthKey();
            if (a.psk != null) {
                a.psk.destroy();
            }
        }
    }

    private KmsResult refusal(KmsAttempt a, ErrorCode code, KmsRefusal why, String reason) {
        Timestamp t = Exchanges.freshTimestamp(ctx, a.requestT);
        byte[] err = a.authKey != null
                ? ErrorMessages.authenticated(a.header, t, code, a.macAlg, a.authKey)
                : ErrorMessages.unauthenticated(a.header, t, code);
        return new KmsResult(err, a.outcome(false, code, why, reason));
    }

    private static String oneLine(MikeyException e) {
        String s = e.getMessage();
        return s == null ? e.errorCode().name() : s.replace('\n', ' ').replace('\r', ' ');
    }
}
