package org.kmsconf.control.confinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The focus's side of one subscription (RFC 4575 §4.5-§4.6): numbers the documents sent to that subscriber and turns
 * the conference's full state into notifications. The first is the full state, version 1; after that each is a
 * partial update, version up by one, holding what changed since the last one: the description, host-info or
 * conference-state when they differ, every user that is new or changed (state full, with all its endpoints), and
 * every user gone (state deleted). A refresh (re-SUBSCRIBE, or a subscriber that saw a gap) sends the full state
 * again with the next version. Thread-safe.
 */
public final class ConferenceInfoPublisher {
    private ConferenceInfo lastSent;
    private long version;

    /** The version of the last document produced (0 before the first). */
    public synchronized long version() {
        return version;
    }

    /**
     * The notification for the conference's current full state ({@code state="full"}; its version is ignored), or
     * empty if nothing changed since the last one.
     */
    public synchronized Optional<ConferenceInfo> next(ConferenceInfo current) {
        requireFull(current);
        if (lastSent == null) {
            return Optional.of(full(current));
        }
        ConferenceInfo last = lastSent;
        List<User> users = new ArrayList<>();
        Map<String, User> before = byEntity(last.users());
        Map<String, User> now = byEntity(current.users());
        for (User u : current.users()) {
            if (!u.equals(before.get(u.entity()))) {
                users.add(u);
            }
        }
        for (User u : last.users()) {
            if (!now.containsKey(u.entity())) {
                users.add(User.deleted(u.entity()));
            }
        }
        Optional<ConferenceDescription> d = changed(last.description(), current.description());
        Optional<HostInfo> h = changed(last.hostInfo(), current.hostInfo());
        Optional<ConferenceState> s = changed(last.conferenceState(), current.conferenceState());
        if (users.isEmpty() && d.isEmpty() && h.isEmpty() && s.isEmpty() && last.entity().equals(current.entity())) {
            return Optional.empty();
        }
        lastSent = current;
        version++;
        return Optional.of(new ConferenceInfo(current.entity(), State.PARTIAL, version, d, h, s, users));
    }

    /** The full state with the next version (the first notification, or a refresh). */
    public synchronized ConferenceInfo full(ConferenceInfo current) {
        requireFull(current);
        lastSent = current;
        version++;
        return current.withVersion(version);
    }

    private static <T> Optional<T> changed(Optional<T> before, Optional<T> now) {
        return now.equals(before) ? Optional.empty() : now;
    }

    private static Map<String, User> byEntity(List<User> users) {
        return users.stream().collect(Collectors.toMap(User::entity, Function.identity(), (a, b) -> b));
    }

    private static void requireFull(ConferenceInfo c) {
        Objects.requireNonNull(c, "state");
        if (c.state() != State.FULL) {
            throw new IllegalArgumentException("the conference's state is given in full");
        }
    }
}
