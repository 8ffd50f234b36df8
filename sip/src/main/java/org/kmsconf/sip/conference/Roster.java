package org.kmsconf.sip.conference;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kmsconf.media.relay.SsrcCollisionException;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.message.Ssrc;

/**
 * Who is in one conference: the allowed set, the participants (pending and connected) with their SSRCs, and since
 * when nobody has been connected. It keeps these consistent (a participant dropped releases its SSRC; a new allowed
 * set drops whoever it leaves out) but decides nothing: the rules are {@link Conference}'s, which calls the roster
 * under its own lock only.
 */
final class Roster<L> {
    private final String owner;
    private final SsrcRegistry ssrcs;
    private final Clock clock;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Map<String, Participant<L>> participants = new LinkedHashMap<>();
    private Instant idleSince;

    Roster(String owner, Set<String> allowed, SsrcRegistry ssrcs, Clock clock) {
        this.owner = owner;
        this.ssrcs = ssrcs;
        this.clock = clock;
        this.allowed.addAll(allowed);
        this.allowed.remove(owner);
        this.idleSince = clock.instant();
    }

    SsrcRegistry ssrcs() {
        return ssrcs;
    }

    /** The owner, or a member of the allowed set. */
    boolean mayJoin(String identity) {
        return identity.equals(owner) || allowed.contains(identity);
    }

    boolean inAllowedSet(String identity) {
        return allowed.contains(identity);
    }

    /** The set the owner's ticket names, when it differs from the present one. */
    Optional<Set<String>> ifChanged(Optional<Set<String>> named) {
        return named.filter(s -> !s.equals(allowed));
    }

    Participant<L> get(String identity) {
        return participants.get(identity);
    }

    void add(Participant<L> p) {
        participants.put(p.identity(), p);
        if (p.connected()) {
            idleSince = null;
        }
    }

    /** A participant that was pending became connected. */
    void connected() {
        idleSince = null;
    }

    /** Removes a participant still being called out (no SSRC yet). */
    void forgetPending(String identity) {
        participants.remove(identity);
        markIdleIfEmpty();
    }

    /** The offered SSRC claimed for {@code caller}, a fresh one when none was offered, or empty if taken. */
    Optional<Ssrc> settleSsrc(String caller, Ssrc offered) {
        if (!offered.isAssigned()) {
            return Optional.of(ssrcs.assign(caller));
        }
        try {
            ssrcs.claim(caller, offered);
            return Optional.of(offered);
        } catch (SsrcCollisionException e) {
            return Optional.empty();
        }
    }

    void releaseSsrc(String caller) {
        ssrcs.forget(caller);
    }

    /** Applies a new allowed set; returns the participants it leaves out (their legs end now). */
    List<Participant<L>> replaceAllowed(Set<String> set) {
        allowed.clear();
        allowed.addAll(set);
        allowed.remove(owner);
        List<Participant<L>> out = new ArrayList<>();
        for (Participant<L> p : List.copyOf(participants.values())) {
            if (!mayJoin(p.identity())) {
                out.add(drop(p));
            }
        }
        return out;
    }

    void disallow(String identity) {
        allowed.remove(identity);
    }

    /** Takes a participant out: its SSRC is released. */
    Participant<L> drop(Participant<L> p) {
        participants.remove(p.identity());
        ssrcs.release(p.identity());
        markIdleIfEmpty();
        return p;
    }

    List<Participant<L>> dropAll() {
        List<Participant<L>> all = new ArrayList<>();
        for (Participant<L> p : List.copyOf(participants.values())) {
            all.add(drop(p));
        }
        return all;
    }

    int connectedCount() {
        int n = 0;
        for (Participant<L> p : participants.values()) {
            if (p.connected()) {
                n++;
            }
        }
        return n;
    }

    /** Since when no participant has been connected, or null while someone is. */
    Instant idleSince() {
        return idleSince;
    }

    private void markIdleIfEmpty() {
        if (idleSince == null && connectedCount() == 0) {
            idleSince = clock.instant();
        }
    }

    Optional<Participant<L>> onDialog(String dialogId) {
        return participants.values().stream().filter(p -> p.connected() && p.dialogId().equals(dialogId))
                .findFirst();
    }

    List<String> allowedSet() {
        return List.copyOf(allowed);
    }

    List<ConferenceState.Member> members() {
        List<ConferenceState.Member> members = new ArrayList<>();
        for (Participant<L> p : participants.values()) {
            members.add(new ConferenceState.Member(p.identity(), p.status(), p.joinMethod(), p.ssrc(), p.since()));
        }
        return members;
    }
}
