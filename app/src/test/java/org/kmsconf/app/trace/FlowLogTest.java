package org.kmsconf.app.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.SignallingCheck;
import org.slf4j.LoggerFactory;

class FlowLogTest {

    /** A flood of refusals of one kind is logged ten times a second, then counted; other kinds keep their own ten. */
    @Test
    void failedChecksOfOneKindAreLoggedAtMostTenTimesASecondAndTheRestCounted() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("kmsconf.flowlogtest");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        logger.setLevel(Level.WARN);
        FlowLog log = new FlowLog("flowlogtest");
        // start right after a second begins, so that the 1000 events fall into one second
        long now = System.nanoTime();
        Thread.sleep(Math.max(0, 1000 - (now / 1_000_000) % 1000) + 5);
        for (int i = 0; i < 1000; i++) {
            log.onEvent(refused(SignallingCheck.WITHIN_CAPACITY, "INVITE: too many requests from 127.0.0.2"));
        }
        log.onEvent(refused(SignallingCheck.SUBSCRIBER_HAS_LIVE_LEG, "a stranger"));
        List<String> lines = seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(FlowLog.WARN_PER_SECOND + 1);
        assertThat(lines).anyMatch(l -> l.contains("a stranger"));
        Thread.sleep(1100);
        log.onEvent(refused(SignallingCheck.WITHIN_CAPACITY, "INVITE: too many requests from 127.0.0.2"));
        List<String> later = seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList()
                .subList(lines.size(), seen.list.size());
        assertThat(later).hasSize(2);
        assertThat(later.get(0)).isEqualTo("990 more failed " + SignallingCheck.WITHIN_CAPACITY.label()
                + " checks were not logged in the second before");
        logger.detachAppender(seen);
    }

    /** What an attacker sent cannot forge a log line or reach the terminal as an escape sequence. */
    @Test
    void controlCharactersInRefusalDetailsAreEscaped() {
        assertThat(FlowLog.printable("sip:focus1@op\r\n12:00:00 WARN forged\u001b[31m\ufffd"))
                .isEqualTo("sip:focus1@op\\u000d\\u000a12:00:00 WARN forged\\u001b[31m\\ufffd");
        assertThat(FlowLog.printable("✓ focus  caller-allowed (sip:bob@operator)"))
                .isEqualTo("✓ focus  caller-allowed (sip:bob@operator)");
    }

    private static FlowEvent.Check refused(SignallingCheck check, String detail) {
        return new FlowEvent.Check(Instant.now(), "sip:focus1.conference1@operator", check, false, detail);
    }
}
