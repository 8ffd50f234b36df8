package org.kmsconf.control.floor;

import org.kmsconf.control.bfcp.message.RequestState;

/**
 * What a chair may do to a request (RFC 8855 §13.4: a ChairAction accepts, grants, denies or revokes): Pending ->
 * Accepted, Granted or Denied; Accepted -> Granted or Denied; Granted -> Revoked. Nothing else.
 */
final class ChairTransitions {
    private ChairTransitions() {
    }

    static boolean allowed(RequestState from, RequestState to) {
        return switch (from) {
            case PENDING -> to == RequestState.ACCEPTED || to == RequestState.GRANTED || to == RequestState.DENIED;
            case ACCEPTED -> to == RequestState.GRANTED || to == RequestState.DENIED;
            case GRANTED -> to == RequestState.REVOKED;
            default -> false;
        };
    }
}
