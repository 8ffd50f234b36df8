package org.kmsconf.sip;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.KeyManagementException.Reason;

/**
 * TEST DOUBLE of the KMS for the SIP flow tests: the same authorisation decisions as the real KMS (who may resolve
 * which ticket, the factory -> focus rule, a creator refused by KMS policy), with HMAC stand-ins for the keys.
 * It exists only so the SIP layer can be tested before and independently of the mikey exchanges.
 */
final class FakeKms {
    record TicketRecord(String id, String initiator, List<String> responders, byte[] mpk) { }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, TicketRecord> tickets = new ConcurrentHashMap<>();
    final Set<String> refusedCreators = ConcurrentHashMap.newKeySet();
    final String factory;
    final Pattern focusRule;

    FakeKms(String factory, Pattern focusRule) {
        this.factory = factory;
        this.focusRule = focusRule;
    }

    TicketRecord request(String initiator, List<String> responders) {
        byte[] mpk = new byte[32];
        random.nextBytes(mpk);
        TicketRecord t = new TicketRecord(Long.toHexString(random.nextLong()), initiator, List.copyOf(responders), mpk);
        tickets.put(t.id(), t);
        return t;
    }

    /** Resolve by {@code resolverIdentities}' owner as {@code as}: returns the ticket record (for MPK derivations). */
    TicketRecord resolve(String ticketId, String as, Set<String> resolverOwns, boolean conferenceSystem)
            throws KeyManagementException {
        TicketRecord t = tickets.get(ticketId);
        if (t == null) {
            throw new KeyManagementException(Reason.INVALID, ErrorCode.INVALID_TICKET, "unknown ticket");
        }
        if (!resolverOwns.contains(as) && !(conferenceSystem && focusRule.matcher(as).matches())) {
            throw new KeyManagementException(Reason.KMS_REFUSED, ErrorCode.INVALID_ID, "not your identity " + as);
        }
        boolean named = t.responders().contains(as);
        boolean viaFactory = conferenceSystem && t.responders().contains(factory) && focusRule.matcher(as).matches();
        if (!named && !viaFactory) {
            throw new KeyManagementException(Reason.KMS_REFUSED, ErrorCode.INVALID_ID, as + " is not a recipient");
        }
        if (viaFactory && refusedCreators.contains(t.initiator())) {
            throw new KeyManagementException(Reason.KMS_REFUSED, ErrorCode.AUTH_FAILURE,
                    t.initiator() + " may not have secure sessions with the conference factory");
        }
        return t;
    }

    static byte[] hmac(byte[] key, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (String p : parts) {
                mac.update(p.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return mac.doFinal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
