package org.kmsconf.sip.conference;

import org.kmsconf.mikey.message.Ssrc;

/**
 * The SSRC step of an admission to a {@link Conference}: builds the leg's keys (TRANSFER_RESP) for the SSRC the focus
 * settled on.
 */
@FunctionalInterface
public interface Keying<L, X extends Exception> {
    L key(Ssrc ssrc) throws X;
}
