package org.kmsconf.sip;

import java.util.List;

/**
 * What came of a REFER (flows 4 and 5): the referee authenticated by the TRANSFER_RESP in the 202, and the progress
 * reported by NOTIFY (message/sipfrag status lines, RFC 3515 §2.4.5), the last one being the outcome of the
 * referee's INVITE. {@link #succeeded()} when that final status is 2xx.
 */
public record ReferOutcome(String referee, List<String> progress, int finalStatus) {
    public ReferOutcome {
        progress = List.copyOf(progress);
    }

    public boolean succeeded() {
        return finalStatus >= 200 && finalStatus < 300;
    }
}
