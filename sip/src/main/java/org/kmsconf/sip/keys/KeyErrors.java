package org.kmsconf.sip.keys;

import org.kmsconf.mikey.MikeyException;

/** How a failed MIKEY step becomes a {@link KeyManagementException}: refused by the KMS, or found wrong here. */
final class KeyErrors {
    private KeyErrors() { }

    /** A KMS answer that did not give us what we asked: an error message from the KMS is a refusal. */
    static KeyManagementException fromKms(byte[] answer, MikeyException e, String what) {
        boolean kmsError = answer.length > 1 && answer[1] == 6; // RFC 3830 §6.1: data type 6 = Error message
        return new KeyManagementException(kmsError ? KeyManagementException.Reason.KMS_REFUSED : reasonOf(e),
                e.errorCode(), what + ": " + e.getMessage(), e);
    }

    /** A message we received or were to build failed our own checks. */
    static KeyManagementException local(MikeyException e, String what) {
        return new KeyManagementException(reasonOf(e), e.errorCode(), what + ": " + e.getMessage(), e);
    }

    private static KeyManagementException.Reason reasonOf(MikeyException e) {
        return switch (e.errorCode()) {
            case AUTH_FAILURE, INVALID_MAC -> KeyManagementException.Reason.AUTHENTICATION;
            case INVALID_TS -> KeyManagementException.Reason.REPLAY;
            default -> KeyManagementException.Reason.INVALID;
        };
    }
}
