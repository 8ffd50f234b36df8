package org.kmsconf.app.trace;

import java.time.Instant;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow trace of a long-running party (conference server, user agent) as its own log: one ladder line per event
 * at INFO (seen with {@code -v}), failed checks at WARN. Never key material (events carry fingerprints only).
 */
public final class FlowLog implements FlowListener {
    private final Logger log;
    private final Ladder ladder;

    public FlowLog(String name) {
        this.log = LoggerFactory.getLogger("kmsconf." + name);
        this.ladder = new Ladder(Instant.now(), null);
    }

    @Override
    public void onEvent(FlowEvent event) {
        String line = ladder.line(event);
        if (line.isEmpty()) {
            return;
        }
        if (event instanceof FlowEvent.Check c && !c.passed()) {
            log.warn("{}", line.strip());
        } else {
            log.info("{}", line.strip());
        }
    }
}
