package org.kmsconf.control.event;

import org.kmsconf.control.confinfo.ConferenceInfo;

/**
 * What a subscriber does with a NOTIFY body, from {@link ConferenceEventReceiver#receive}: apply it, refuse it
 * (answer 493 Undecipherable), drop it as a replay (answer 200, change nothing), or fetch the full state again.
 */
public sealed interface ReceiveOutcome {
    /** The SIP status to answer the NOTIFY with. */
    int sipStatus();

    /** Applied: the roster as it now is, and the document that changed it. */
    record Applied(ConferenceInfo roster, ConferenceInfo document) implements ReceiveOutcome {
        @Override
        public int sipStatus() {
            return 200;
        }
    }

    /** Refused, in the order of the checks: answer 493; after {@link Reason#UNKNOWN_KEK} subscribe again. */
    record Refused(Reason reason, String detail) implements ReceiveOutcome {
        @Override
        public int sipStatus() {
            return 493;
        }

        public boolean resubscribe() {
            return reason == Reason.UNKNOWN_KEK;
        }
    }

    /** Its version is not above the last one applied: dropped (docs/profile.md §6 check 5). */
    record Replay(long version, long lastApplied) implements ReceiveOutcome {
        @Override
        public int sipStatus() {
            return 200;
        }
    }

    /** A partial update after a missing version: accepted, not applied; re-SUBSCRIBE for the full state. */
    record NeedsFullState(long version, long lastApplied) implements ReceiveOutcome {
        @Override
        public int sipStatus() {
            return 200;
        }
    }

    /** Why a body was refused, in check order. */
    enum Reason {
        /** Not application/pkcs7-mime; smime-type=authEnveloped-data (plain conference-info in a secure conference). */
        NOT_PROTECTED,
        /** Not our CMS form. */
        MALFORMED,
        /** Check 1: the kekid names none of our live legs. */
        UNKNOWN_KEK,
        /** Check 2: the GCM tag (or the key unwrap) failed. */
        AUTHENTICATION_FAILED,
        /** Check 3: the inner Content-Type is not application/conference-info+xml. */
        WRONG_INNER_TYPE,
        /** The conference-info document cannot be read. */
        INVALID_DOCUMENT,
        /** Check 4: the document's entity is not the focus URI of the leg. */
        WRONG_ENTITY
    }
}
