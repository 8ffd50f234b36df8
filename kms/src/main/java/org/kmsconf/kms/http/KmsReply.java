package org.kmsconf.kms.http;

/**
 * What the KMS answers to one HTTP request body: a MIKEY message (response or error message, sent as 200
 * {@code application/mikey}) or, for a body too broken to answer in MIKEY, a short text for a 400.
 */
public sealed interface KmsReply {

    /**
     * A MIKEY answer.
     *
     * @param exchange REQUEST, RESOLVE or MALFORMED
     * @param outcome ISSUED, RESOLVED or REFUSED
     */
    record Mikey(byte[] body, String exchange, String outcome) implements KmsReply {
    }

    /**
     * The store cannot be reached (PostgreSQL down): nothing can be answered reliably now; another node, or this one
     * a little later, can. Sent as 503 with, when the request had a MIKEY header, an unauthenticated MIKEY error
     * message answering it ({@code mikeyError}, else null).
     */
    record Unavailable(byte[] mikeyError) implements KmsReply {
    }

    /** Not a KMS request at all; {@code reason} is one short line, safe to show the client. */
    record BadRequest(String reason) implements KmsReply {
    }
}
