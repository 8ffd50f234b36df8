package org.kmsconf.sip.focus;

import javax.sip.Dialog;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.media.ConferenceMedia;

/**
 * The focus's side of one participant's leg, as the conference model carries it: the SIP dialog, the relay port,
 * and the keys of the leg's current TRANSFER exchange.
 */
record FocusLeg(Dialog dialog, ConferenceMedia.Port port, Leg keys) {
    /** The leg is over: the relay stops both ways and the keys are zeroed. */
    void close() {
        port.close();
        keys.destroy();
    }
}
