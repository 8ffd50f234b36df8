package org.kmsconf.sip.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResponse;

/**
 * A TRANSFER_INIT whose ticket the KMS resolved for {@code as} (RFC 6043 §4.2.3): the responder's side until it
 * answers with TRANSFER_RESP or an error message, or drops it. Every way out destroys the exchange's keys.
 */
final class ResolvedExchange implements ResolvedTransfer {
    private final TransferResponder tr;
    private final String as;

    ResolvedExchange(TransferResponder tr, String as) {
        this.tr = tr;
        this.as = as;
    }

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
        return CryptoSessions.offered(tr);
    }

    @Override
    public Leg answer(Ssrcs finalSsrcs) throws KeyManagementException {
        try {
            TransferResponse resp = tr.respond(List.of(finalSsrcs.cs2()),
                    Map.of(CryptoSessions.CS_INITIATOR, finalSsrcs.cs1()));
            return CryptoSessions.leg(tr.initiator(), resp.result(), resp.message());
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

    /** The RFC 3830 error message answering the exchange, or null when none can be built. */
    static byte[] errorOf(TransferResponder tr, ErrorCode code) {
        try {
            return tr.errorMessage(code);
        } catch (MikeyException | IllegalStateException e) {
            return null;
        }
    }
}
