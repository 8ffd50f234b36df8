package org.kmsconf.mikey.exchange;

/** The KMS's answer to one message (REQUEST_RESP, RESOLVE_RESP or an error message) and its audit outcome. */
public record KmsResult(byte[] response, KmsOutcome outcome) {

    public KmsResult {
        response = response.clone();
    }

    @Override
    public byte[] response() {
        return response.clone();
    }

    @Override
    public String toString() {
        return "KmsResult[" + response.length + " bytes, " + outcome + "]";
    }
}
