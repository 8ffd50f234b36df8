package org.kmsconf.sip.ue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
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
        capacity = capacity == null ? Capacity.USER_AGENT : capacity;
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
        return with(e -> e.trace = t);
    }

    public UeConfig withKeyLog(KeyLogListener k) {
        return with(e -> e.keyLog = k);
    }

    public UeConfig withTimeout(Duration d) {
        return with(e -> e.timeout = d);
    }

    public UeConfig withAnswer(AnswerPolicy a) {
        return with(e -> e.answer = a);
    }

    public UeConfig withSubscribe(boolean on) {
        return with(e -> e.subscribe = on);
    }

    public UeConfig withFloorControl(boolean on) {
        return with(e -> e.floorControl = on);
    }

    private UeConfig with(Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return e.done();
    }

    /** A configuration's fields while one {@code with…} changes one of them. */
    private static final class Edit {
        String identity;
        String sipHost;
        int sipPort;
        InetSocketAddress media;
        Directory directory;
        KeyAgent keyAgent;
        FlowListener trace;
        KeyLogListener keyLog;
        Duration timeout;
        AnswerPolicy answer;
        Capacity capacity;
        boolean subscribe;
        boolean floorControl;

        Edit(UeConfig c) {
            identity = c.identity;
            sipHost = c.sipHost;
            sipPort = c.sipPort;
            media = c.media;
            directory = c.directory;
            keyAgent = c.keyAgent;
            trace = c.trace;
            keyLog = c.keyLog;
            timeout = c.timeout;
            answer = c.answer;
            capacity = c.capacity;
            subscribe = c.subscribe;
            floorControl = c.floorControl;
        }

        UeConfig done() {
            return new UeConfig(identity, sipHost, sipPort, media, directory, keyAgent, trace, keyLog, timeout, answer,
                    capacity, subscribe, floorControl);
        }
    }
}
