package org.kmsconf.control.confinfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subscriber's view of a conference (RFC 4575 §4.6): applies full documents and partial updates in version
 * order. A document whose version is not above the last one applied is a replay and is dropped; a partial update
 * that skips a version, or that comes before any full state, cannot be applied and asks for a refresh
 * (re-SUBSCRIBE for the full state). Thread-safe.
 */
public final class ConferenceInfoView {
    /** What {@link #apply} did. */
    public enum Result {
        /** The document was applied. */
        APPLIED,
        /** Its version is not above the last applied one: dropped (a replay or a reordering). */
        REPLAY,
        /** A partial update after a missing version, or before any full state: fetch the full state again. */
        NEEDS_FULL_STATE
    }

    private ConferenceInfo current;
    private long version = -1;

    public synchronized Result apply(ConferenceInfo doc) {
        if (doc.version() <= version) {
            return Result.REPLAY;
        }
        switch (doc.state()) {
            case FULL, DELETED -> current = doc;
            case PARTIAL -> {
                if (current == null || doc.version() != version + 1) {
                    return Result.NEEDS_FULL_STATE;
                }
                current = merge(current, doc);
            }
            default -> throw new IllegalStateException();
        }
        version = doc.version();
        return Result.APPLIED;
    }

    /** The conference as last known (state full, the version of the last document applied). */
    public synchronized Optional<ConferenceInfo> current() {
        return Optional.ofNullable(current);
    }

    /** The version of the last document applied, -1 before the first. */
    public synchronized long version() {
        return version;
    }

    private static ConferenceInfo merge(ConferenceInfo base, ConferenceInfo p) {
        Map<String, User> users = new LinkedHashMap<>();
        base.users().forEach(u -> users.put(u.entity(), u));
        for (User u : p.users()) {
            switch (u.state()) {
                case DELETED -> users.remove(u.entity());
                case FULL -> users.put(u.entity(), withState(u));
                case PARTIAL -> users.merge(u.entity(), withState(u), ConferenceInfoView::mergeUser);
                default -> throw new IllegalStateException();
            }
        }
        return new ConferenceInfo(p.entity(), State.FULL, p.version(), p.description().or(base::description),
                p.hostInfo().or(base::hostInfo), p.conferenceState().or(base::conferenceState),
                List.copyOf(users.values()));
    }

    private static User withState(User u) {
        return new User(u.entity(), State.FULL, u.displayText(), u.roles(), u.endpoints());
    }

    /** A partial user: what it carries replaces, endpoints merge by entity (RFC 4575 §4.6). */
    private static User mergeUser(User old, User p) {
        Map<String, Endpoint> eps = new LinkedHashMap<>();
        old.endpoints().forEach(e -> eps.put(e.entity(), e));
        for (Endpoint e : p.endpoints()) {
            switch (e.state()) {
                case DELETED -> eps.remove(e.entity());
                case FULL -> eps.put(e.entity(), e);
                case PARTIAL -> eps.merge(e.entity(), e, (a, b) -> new Endpoint(a.entity(), State.FULL,
                        b.displayText().or(a::displayText), b.status().or(a::status),
                        b.joiningMethod().or(a::joiningMethod), b.disconnectionMethod().or(a::disconnectionMethod),
                        b.media().isEmpty() ? a.media() : b.media()));
                default -> throw new IllegalStateException();
            }
        }
        return new User(old.entity(), State.FULL, p.displayText().or(old::displayText),
                p.roles().isEmpty() ? old.roles() : p.roles(), new ArrayList<>(eps.values()));
    }
}
