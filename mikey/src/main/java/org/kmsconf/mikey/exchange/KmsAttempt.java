package org.kmsconf.mikey.exchange;

import java.util.List;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.message.Header;
import org.kmsconf.mikey.payload.Timestamp;

/**
 * What is known about the message {@link KmsProtocol} is handling, filled in as the checks pass: for the error
 * message (keyed once the sender is authenticated) and the audit outcome. Owns the keys it holds until the answer.
 */
final class KmsAttempt {
    KmsOutcome.Exchange exchange = KmsOutcome.Exchange.UNKNOWN;
    Header header;
    Timestamp requestT;
    KeyMaterial authKey;
    /** The user's PSK from the directory: owned here, destroyed when the message is answered. */
    KeyMaterial psk;
    MacAlg macAlg;
    String user;
    String identity;
    String initiator;
    List<String> responders;
    String viaFactory;

    KmsOutcome outcome(boolean granted, ErrorCode error, KmsRefusal refusal, String reason) {
        return new KmsOutcome(exchange, granted, user, identity, initiator, responders, viaFactory, error,
                refusal, reason);
    }

    /** From here on refusals carry no V (replays: the sender learns nothing keyed). */
    void forgetAuthKey() {
        if (authKey != null) {
            authKey.destroy();
            authKey = null;
        }
    }
}
