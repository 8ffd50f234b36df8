package org.kmsconf.sip;

import javax.sip.Dialog;
import org.kmsconf.sip.conference.ConferenceMedia;
import org.kmsconf.sip.keys.Leg;

/** One participant leg at the focus. */
final class Participant {
    final String identity;
    final Dialog dialog;
    final long ssrc;
    final ConferenceMedia.Port port;
    volatile Leg leg;

    Participant(String identity, Dialog dialog, long ssrc, ConferenceMedia.Port port, Leg leg) {
        this.identity = identity;
        this.dialog = dialog;
        this.ssrc = ssrc;
        this.port = port;
        this.leg = leg;
    }

    /** The keys of the participant's current TRANSFER exchange with the focus. */
    Leg leg() {
        return leg;
    }
}
