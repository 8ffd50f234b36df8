package org.kmsconf.mikey.exchange;

/** What the Responder sends back (TRANSFER_RESP bytes) and the keys it derived for the same crypto sessions. */
public record TransferResponse(byte[] message, TransferResult result) {

    public TransferResponse {
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public String toString() {
        return "TransferResponse[" + message.length + " bytes, " + result + "]";
    }
}
