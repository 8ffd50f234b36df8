package org.kmsconf.app.trace;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow trace of a long-running party (conference server, user agent) as its own log: one ladder line per event
 * at INFO (seen with {@code -v}), failed checks at WARN. Never key material (events carry fingerprints only).
 *
 * <p>A flood must not become a flood of log lines (a synchronous log write per refused request was the conference
 * server's bottleneck under a SIP flood, docs/performance.md "Flood"): failed checks of one kind are
 * logged at most {@value #WARN_PER_SECOND} times a second, and the first line of the next second says how many were
 * left out. Nothing is formatted for a level that is off.
 */
public final class FlowLog implements FlowListener {
    static final int WARN_PER_SECOND = 10;

    private final Logger log;
    private final Ladder ladder;
    private final Map<String, Window> windows = new HashMap<>();

    public FlowLog(String name) {
        this.log = LoggerFactory.getLogger("kmsconf." + name);
        this.ladder = new Ladder(Instant.now(), null);
    }

    @Override
    public void onEvent(FlowEvent event) {
        if (event instanceof FlowEvent.Check c && !c.passed()) {
            if (log.isWarnEnabled()) {
                warn(c);
            }
        } else if (log.isInfoEnabled()) {
            String line = ladder.line(event);
            if (!line.isEmpty()) {
                log.info("{}", printable(line.strip()));
            }
        }
    }

    private void warn(FlowEvent.Check c) {
        long second = System.nanoTime() / 1_000_000_000L;
        long leftOut;
        synchronized (windows) {
            Window w = windows.computeIfAbsent(c.check().label(), k -> new Window());
            if (w.second != second) {
                leftOut = w.leftOut;
                w.second = second;
                w.logged = 0;
                w.leftOut = 0;
            } else {
                leftOut = 0;
            }
            if (w.logged >= WARN_PER_SECOND) {
                w.leftOut++;
                return;
            }
            w.logged++;
        }
        if (leftOut > 0) {
            log.warn("{} more failed {} checks were not logged in the second before", leftOut, c.check().label());
        }
        String line = ladder.line(c);
        if (!line.isEmpty()) {
            log.warn("{}", printable(line.strip()));
        }
    }

    /**
     * The line with every control character (CR, LF, ESC, ...) and every non-character written as {@code \\uXXXX}: the
     * details of a refusal quote what an attacker sent (an identity inside a MIKEY payload can hold any octet), and must
     * not forge a log line or drive a terminal.
     */
    static String printable(String line) {
        StringBuilder b = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\ufffd' || Character.getType(c) == Character.UNASSIGNED
                    || Character.getType(c) == Character.FORMAT;
            if (unsafe && b == null) {
                b = new StringBuilder(line.length() + 16).append(line, 0, i);
            }
            if (b != null) {
                if (unsafe) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? line : b.toString();
    }

    /** One second of one kind of failed check. */
    private static final class Window {
        long second = -1;
        int logged;
        long leftOut;
    }
}
