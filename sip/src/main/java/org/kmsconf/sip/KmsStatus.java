package org.kmsconf.sip;

import org.kmsconf.sip.keys.KeyManagementException;

/** The SIP answer to a failed key-management step (PROFILE.md "Transport bindings"). */
final class KmsStatus {
    private KmsStatus() { }

    /** 403 for an authorisation refusal by the KMS, 503 when the KMS is unavailable, else 488. */
    static int statusFor(KeyManagementException e) {
        return switch (e.reason()) {
            case KMS_REFUSED -> 403;
            case KMS_UNAVAILABLE -> 503;
            case INVALID, AUTHENTICATION, REPLAY -> 488;
        };
    }

    static String describe(KeyManagementException e) {
        String what = switch (e.reason()) {
            case KMS_REFUSED -> "KMS refused";
            case KMS_UNAVAILABLE -> "KMS unavailable";
            case INVALID -> "MIKEY message rejected";
            case AUTHENTICATION -> "MIKEY authentication failed";
            case REPLAY -> "MIKEY replay";
        };
        return what + e.mikeyError().map(c -> " (" + c + ")").orElse("") + ": " + e.getMessage();
    }
}
