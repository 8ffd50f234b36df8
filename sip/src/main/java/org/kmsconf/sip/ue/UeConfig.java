package org.kmsconf.sip.ue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;

/**
 * Configuration of a user agent.
 *
 * @param identity public identity, e.g. {@code sip:alice@operator}
 * @param sipHost address to listen on for SIP (UDP and TCP)
 * @param sipPort port, 0 = any free one
 * @param media where this UE receives RTP (goes in the SDP)
 * @param keyAgent this UE's MIKEY-TICKET operations (PSK, key id, KMS client)
 * @param timeout how long to wait for a SIP answer or a flow's completion
 * @param answer which call-outs and REFERs to answer (default: always)
 * @param subscribe whether to subscribe to the conference event package of each focus it has a call with, and so
 *                  follow the roster (default: yes)
 * @param floorControl whether to ask for floor control (a BFCP m-line and its MIKEY-keyed TLS PSK) when joining
 *                     (default: no)
 */
public record UeConfig(String identity, String sipHost, int sipPort, InetSocketAddress media, Directory directory,
                       KeyAgent keyAgent, FlowListener trace, KeyLogListener keyLog, Duration timeout,
                       AnswerPolicy answer, Capacity capacity, boolean subscribe, boolean floorControl) {
    public UeConfig {
        identity = Directory.normalise(identity);
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyAgent, "keyAgent");
        trace = trace == null ? FlowListener.NONE : trace;
        keyLog = keyLog == null ? KeyLogListener.NONE : keyLog;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        answer = answer == null ? AnswerPolicy.always() : answer;
        capacity = capacity == null ? Capacity.DEFAULT : capacity;
    }

    /**
     * No trace or key log, a 10 s timeout, answering every call-out and REFER, following each conference's roster,
     * no floor control; refine with {@code with…}.
     */
    public static UeConfig of(String identity, String sipHost, int sipPort, InetSocketAddress media,
                              Directory directory, KeyAgent keyAgent) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, null, null, null, null, null, true,
                false);
    }

    public UeConfig withTrace(FlowListener t) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, t, keyLog, timeout, answer,
                capacity, subscribe, floorControl);
    }

    public UeConfig withKeyLog(KeyLogListener k) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, k, timeout, answer,
                capacity, subscribe, floorControl);
    }

    public UeConfig withTimeout(Duration d) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, d, answer,
                capacity, subscribe, floorControl);
    }

    public UeConfig withAnswer(AnswerPolicy a) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, timeout, a,
                capacity, subscribe, floorControl);
    }

    public UeConfig withSubscribe(boolean on) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, timeout, answer,
                capacity, on, floorControl);
    }

    public UeConfig withFloorControl(boolean on) {
        return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, timeout, answer,
                capacity, subscribe, on);
    }
}
