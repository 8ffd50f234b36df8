package org.kmsconf.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.kmsconf.sip.trace.CheckName;
import org.kmsconf.sip.trace.FlowEvent.Check;
import org.kmsconf.sip.trace.FlowEvent.KmsDone;
import org.kmsconf.sip.trace.FlowEvent.KmsExchange;
import org.kmsconf.sip.trace.FlowEvent;
import org.kmsconf.sip.trace.FlowListener;

/**
 * Collects the flow events of every party of the demo, in arrival order, so that each step can print what
 * happened during it and assert on it. Thread-safe: parties report from SIP stack and executor threads.
 */
public final class EventRecorder implements FlowListener {
    private final List<FlowEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(FlowEvent event) {
        events.add(event);
        notifyAll();
    }

    /** A position in the record; {@link #since(int)} returns what arrived after it. */
    public synchronized int mark() {
        return events.size();
    }

    public synchronized List<FlowEvent> since(int mark) {
        return List.copyOf(events.subList(Math.min(mark, events.size()), events.size()));
    }

    public synchronized List<FlowEvent> all() {
        return List.copyOf(events);
    }

    /**
     * Waits until an event after {@code mark} matches, or the timeout passes; returns whether one did.
     * Events arrive asynchronously (a participant's last check may come a moment after the SIP answer).
     */
    public synchronized boolean await(int mark, Predicate<FlowEvent> match, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int seen = mark;
        while (true) {
            for (int i = seen; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return true;
                }
            }
            seen = events.size();
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
    }

    public <T extends FlowEvent> List<T> since(int mark, Class<T> type) {
        return since(mark).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Whether {@code party} reported one of the checks {@code names} as passed (waits up to 2 s for it). */
    public boolean passed(int mark, String party, CheckName... names) throws InterruptedException {
        List<CheckName> any = List.of(names);
        return await(mark, e -> e instanceof Check c && c.passed() && c.party().equals(party)
                && any.contains(c.check()), 2000);
    }

    /** Whether {@code party} reported the check {@code name} as failed (waits up to 2 s for it). */
    public boolean failed(int mark, String party, CheckName name) throws InterruptedException {
        return await(mark, e -> e instanceof Check c && !c.passed() && c.party().equals(party)
                && c.check().equals(name), 2000);
    }

    /** Whether {@code party} resolved a ticket at the KMS as {@code identity} (any identity when null). */
    public boolean resolved(int mark, String party, String identity) {
        return since(mark, KmsDone.class).stream().anyMatch(k -> k.ok() && k.exchange() == KmsExchange.RESOLVE
                && Objects.equals(k.party(), party) && (identity == null || k.identities().contains(identity)));
    }

    /** Whether {@code party} asked the KMS anything (REQUEST or RESOLVE, answered or refused). */
    public boolean askedTheKms(int mark, String party) {
        return since(mark, KmsDone.class).stream().anyMatch(k -> Objects.equals(k.party(), party));
    }
}
