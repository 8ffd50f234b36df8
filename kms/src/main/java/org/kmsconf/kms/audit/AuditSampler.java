package org.kmsconf.kms.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps a flood of refusals out of the audit trail (and the log) without hiding it: per window, the first
 * {@code perSource} unauthenticated refusals from one remote address, and the first {@code perUser} refusals of one
 * authenticated user (e.g. a conference system made to resolve garbage tickets by a SIP flood), are written in full;
 * the others are only counted, and when the window ends one summary record per address or user says how many there
 * were and why. Memory is bounded: at most {@value #MAX_SOURCES} keys are tracked per window; refusals of further
 * ones share one summary. Grants are never sampled.
 */
public final class AuditSampler {
    static final int MAX_SOURCES = 10_000;
    static final String OTHER = "(other sources)";

    private static final class Source {
        int written;
        long suppressed;
        final Map<String, Long> byReason = new TreeMap<>();
    }

    private final int perSource;
    private final int perUser;
    private final Duration window;
    private final Clock clock;
    private Map<String, Source> sources = new HashMap<>();
    private Instant windowStart;

    public AuditSampler(int perSource, int perUser, Duration window, Clock clock) {
        this.perSource = perSource;
        this.perUser = perUser;
        this.window = window;
        this.clock = clock;
        this.windowStart = clock.instant();
    }

    /**
     * Whether this unauthenticated refusal from {@code remote} is written in full; if not it is counted under
     * {@code refusal} for the window's summary.
     */
    public synchronized boolean admit(String remote, String refusal) {
        return admit(remote == null ? "?" : remote, refusal, perSource);
    }

    /** As {@link #admit(String, String)} for a refusal of authenticated user {@code user}. */
    public synchronized boolean admitUser(String user, String refusal) {
        return admit(USER + user, refusal, perUser);
    }

    static final String USER = "user:";

    private boolean admit(String key, String refusal, int budget) {
        Source s = sources.get(key);
        if (s == null) {
            if (sources.size() >= MAX_SOURCES) {
                s = sources.computeIfAbsent(OTHER, k -> new Source());
            } else {
                s = new Source();
                sources.put(key, s);
            }
        }
        if (s.written < budget && !key.equals(OTHER)) {
            s.written++;
            return true;
        }
        s.suppressed++;
        s.byReason.merge(refusal, 1L, Long::sum);
        return false;
    }

    /** Ends the window if it is over: one summary record per address that had refusals not written in full. */
    public List<AuditRecord> rollIfDue() {
        Map<String, Source> old;
        Instant start;
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(windowStart.plus(window))) {
                return List.of();
            }
            old = sources;
            start = windowStart;
            sources = new HashMap<>();
            windowStart = now;
        }
        List<AuditRecord> out = new ArrayList<>();
        for (Map.Entry<String, Source> e : old.entrySet()) {
            Source s = e.getValue();
            if (s.suppressed > 0) {
                boolean user = e.getKey().startsWith(USER);
                out.add(new AuditRecord(now, "SAMPLED", "REFUSED", user ? e.getKey().substring(USER.length()) : null,
                        null, null, null, s.suppressed + " more " + (user ? "" : "unauthenticated ") + "refusals since "
                                + start + " not recorded one by one: " + s.byReason, user ? null : e.getKey()));
            }
        }
        return out;
    }

    /** How many refusals of the current window were counted but not written (tests). */
    public synchronized long suppressed() {
        long n = 0;
        for (Source s : sources.values()) {
            n += s.suppressed;
        }
        return n;
    }
}
