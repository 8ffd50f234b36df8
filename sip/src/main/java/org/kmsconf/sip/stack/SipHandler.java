package org.kmsconf.sip.stack;

import javax.sip.DialogTerminatedEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/**
 * What a party (user agent or conference server) does with the events of its {@link SipNode}. Called on the stack's
 * reentrant thread pool: never block here, hand slow work (KMS exchanges) to {@link SipNode#executor()}.
 */
public interface SipHandler {
    void onRequest(RequestEvent event);

    /** A response to a request this party sent; {@link SipNode} already completed the transaction's future. */
    default void onResponse(ResponseEvent event) { }

    default void onTimeout(TimeoutEvent event) { }

    default void onDialogTerminated(DialogTerminatedEvent event) { }
}
