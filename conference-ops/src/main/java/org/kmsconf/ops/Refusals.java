package org.kmsconf.ops;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.trace.FlowEvent;

/**
 * The conference server's most recent refusals: every check that failed, as the code that ran it reported it
 * ({@link FlowEvent.Check} with {@code passed=false}): a rule of the conference model ({@link Rule}) or a signalling
 * check. Bounded; oldest dropped first.
 */
public final class Refusals {
    /** One refused check: when, which party (factory or focus URI), the check's label, its kind, and why. */
    public record Refusal(long seq, Instant at, String party, String check, String kind, String detail) { }

    private final int capacity;
    private final Deque<Refusal> recent = new ArrayDeque<>();
    private long seq;

    public Refusals(int capacity) {
        this.capacity = capacity;
    }

    /** Records the check if it failed; returns the refusal recorded, or null for a check that passed. */
    public synchronized Refusal add(FlowEvent.Check c) {
        if (c.passed()) {
            return null;
        }
        Refusal r = new Refusal(++seq, c.at(), c.party(), c.check().label(), kindOf(c), c.detail());
        recent.addFirst(r);
        while (recent.size() > capacity) {
            recent.removeLast();
        }
        return r;
    }

    static String kindOf(FlowEvent.Check c) {
        return c.check() instanceof Rule ? "conference-rule" : "signalling";
    }

    /** The newest {@code limit} refusals, newest first. */
    public synchronized List<Refusal> recent(int limit) {
        List<Refusal> out = new ArrayList<>(Math.min(limit, recent.size()));
        for (Iterator<Refusal> it = recent.iterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }
}
