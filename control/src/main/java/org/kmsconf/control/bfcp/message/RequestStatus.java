package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** REQUEST-STATUS (RFC 8855 §5.2.5): the state of a floor request and its position in the floor queue (0 = none). */
public record RequestStatus(RequestState state, int queuePosition) {
    public RequestStatus {
        Objects.requireNonNull(state, "state");
        if (queuePosition < 0 || queuePosition > 0xFF) {
            throw new IllegalArgumentException("Queue Position is 8 bits");
        }
    }

    public static RequestStatus of(RequestState state) {
        return new RequestStatus(state, 0);
    }
}
