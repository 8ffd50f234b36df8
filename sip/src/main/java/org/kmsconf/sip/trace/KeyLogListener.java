package org.kmsconf.sip.trace;

import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Opt-in access to the SRTP keys of each crypto session, for a debugging key log (docs/demo.md "The key log":
 * {@code SRTP <sender-uri> <receiver-uri> 0x<ssrc> <key> <salt>}). Never wire this to a normal log.
 * The keys object stays owned by the leg; copy what you need, do not destroy it.
 */
@FunctionalInterface
public interface KeyLogListener {
    void srtpKeys(String senderUri, String receiverUri, Ssrc ssrc, SrtpKeys keys);

    KeyLogListener NONE = (s, r, ssrc, k) -> { };
}
