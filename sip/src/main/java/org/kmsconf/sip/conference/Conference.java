package org.kmsconf.sip.conference;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.kmsconf.media.relay.SsrcRegistry;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.sip.conference.Participant.JoinMethod;
import org.kmsconf.sip.conference.Participant.Status;

/**
 * One secure conference of TR 33.829 clause 5.3.3 and every rule about it: its owner (the creator), its focus URI,
 * the allowed set, the participants with their legs and SSRCs, and its lifecycle. Each action is a method that
 * decides and applies in one step under the conference's lock and returns an {@link Outcome}; SIP adapters parse
 * a request, call one method, and answer what it returned. Nothing here knows SIP or MIKEY: identities arrive
 * authenticated (the responder step resolved the ticket), and {@code L} is the adapter's per-leg state. Who is in
 * the conference is its {@link Roster}; this class holds the rules and the lifecycle.
 *
 * <p>The rules ({@link Rule}), as a table of actor × action × state (docs/security.md lists the test of each row):
 * <ul>
 *   <li>join (call-in, flows 2, 3, 5): an active conference; the owner or a member of the allowed set; not on
 *       another call already; room left; an SSRC nobody else in the conference has;</li>
 *   <li>re-offer on the participant's own call: a re-key; a ticket that changes the allowed set needs the owner;
 *       participants no longer allowed lose their leg at once;</li>
 *   <li>call-out on REFER (flow 4): the owner (or, if configured, a participant) names someone its ticket names and
 *       who is allowed; the answer is admitted only if that still holds;</li>
 *   <li>remove and end: the owner or the operator; leave: the participant itself on its own call; the owner's leave
 *       ends the conference; expiry: no participant for the idle time, or the creation ticket's validity over.</li>
 * </ul>
 */
public final class Conference<L> {
    /** The SSRC step of an admission: builds the leg's keys (TRANSFER_RESP) for the SSRC the focus settled on. */
    @FunctionalInterface
    public interface Keying<L, X extends Exception> {
        L key(Ssrc ssrc) throws X;
    }

    /** A participant joined or re-keyed; when the owner's ticket replaced the allowed set, who lost their leg. */
    public record Joined<L>(Participant<L> participant, boolean newcomer, Optional<Set<String>> allowedSetReplaced,
                            List<Participant<L>> removed, L previousLeg) { }

    /** Participants whose legs ended by the action (to hang up and forget the keys of), and whether it ended all. */
    public record Departed<L>(List<Participant<L>> participants, boolean conferenceEnded) { }

    private final String focusUri;
    private final String factoryUri;
    private final String owner;
    private final Instant created;
    private final Instant validUntil;
    private final Limits limits;
    private final Clock clock;
    private final Roster<L> roster;
    private boolean ended;
    private String endReason = "";

    Conference(String focusUri, String factoryUri, String owner, Set<String> allowed, Instant validUntil,
               Limits limits, SsrcRegistry ssrcs, Clock clock) {
        this.focusUri = focusUri;
        this.factoryUri = factoryUri;
        this.owner = owner;
        this.validUntil = validUntil;
        this.limits = limits;
        this.clock = clock;
        this.created = clock.instant();
        this.roster = new Roster<>(owner, allowed, ssrcs, clock);
    }

    public String focusUri() {
        return focusUri;
    }

    public String owner() {
        return owner;
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** The SSRCs of this conference: the media plane's registry (unique in a conference, docs/profile.md §5 row 11). */
    public SsrcRegistry ssrcs() {
        return roster.ssrcs();
    }

    // ---------------------------------------------------------------- joining and re-keying

    /**
     * An offer with a resolved TRANSFER_INIT reached the focus: a new call (join) or a re-offer on the caller's own
     * call ({@code dialogId} equal to its leg's). Decides, then runs {@code keying} for the settled SSRC, then
     * applies: if the keying throws, nothing changed.
     */
    public synchronized <X extends Exception> Outcome<Joined<L>> offer(String caller, String dialogId,
            TicketScope ticket, Ssrc offeredSsrc, Keying<L, X> keying) throws X {
        Checks c = new Checks();
        if (!c.holds(Rule.CONFERENCE_RUNNING, !ended)) {
            return c.refuse(Rule.CONFERENCE_RUNNING, focusUri + " has ended");
        }
        if (!c.holds(Rule.CALLER_ALLOWED, roster.mayJoin(caller))) {
            return c.refuse(Rule.CALLER_ALLOWED, caller + " is not allowed in " + focusUri);
        }
        Optional<Set<String>> newSet = roster.ifChanged(ticket.allowedSet(focusUri, factoryUri));
        if (newSet.isPresent() && !c.holds(Rule.ALLOWED_SET_CHANGE_BY_OWNER, caller.equals(owner))) {
            return c.refuse(Rule.ALLOWED_SET_CHANGE_BY_OWNER, "only the owner " + owner
                    + " may change who is allowed in " + focusUri);
        }
        Participant<L> existing = roster.get(caller);
        boolean sameCall = existing != null && existing.connected() && existing.dialogId().equals(dialogId);
        if (!c.holds(Rule.NOT_ALREADY_JOINED, existing == null || sameCall)) {
            return c.refuse(Rule.NOT_ALREADY_JOINED, caller + " is already in " + focusUri
                    + (existing.connected() ? " on another call" : " (being called out)"));
        }
        if (!sameCall && !c.holds(Rule.ROOM_LEFT, roster.connectedCount() < limits.maxParticipants())) {
            return c.refuse(Rule.ROOM_LEFT, focusUri + " has " + limits.maxParticipants() + " participants");
        }
        Ssrc ssrc;
        if (sameCall) {
            ssrc = existing.ssrc();
        } else {
            Optional<Ssrc> settled = roster.settleSsrc(caller, offeredSsrc);
            if (!c.holds(Rule.SSRC_UNIQUE, settled.isPresent())) {
                return c.refuse(Rule.SSRC_UNIQUE, "SSRC " + offeredSsrc + " is taken in " + focusUri);
            }
            ssrc = settled.get();
        }
        L leg;
        try {
            leg = keying.key(ssrc);
        } catch (Exception e) {
            if (!sameCall) {
                roster.releaseSsrc(caller);
            }
            throw e;
        }
        List<Participant<L>> removed = newSet.map(roster::replaceAllowed).orElse(List.of());
        L previous = null;
        Participant<L> p;
        if (sameCall) {
            p = existing;
            previous = p.replaceLeg(leg);
        } else {
            p = new Participant<>(caller, JoinMethod.DIALED_IN, clock.instant(), Status.CONNECTED, dialogId, ssrc,
                    leg);
            roster.add(p);
        }
        return c.admit(new Joined<>(p, !sameCall, newSet, removed, previous));
    }

    // ---------------------------------------------------------------- call-out (flow 4)

    /**
     * A REFER asks the focus to call {@code target} out (TR 33.829 flow 4 b; the REFER adapter has checked that the
     * referrer's ticket names the target). Admitted: a pending participant is reserved until
     * {@link #callOutAnswered} or {@link #callOutFailed}.
     */
    public synchronized Outcome<Participant<L>> referToCallOut(String referrer, boolean participantsMayRefer,
                                                                String target) {
        Checks c = new Checks();
        if (!c.holds(Rule.CONFERENCE_RUNNING, !ended)) {
            return c.refuse(Rule.CONFERENCE_RUNNING, focusUri + " has ended");
        }
        Participant<L> r = roster.get(referrer);
        boolean mayRefer = referrer.equals(owner) || (participantsMayRefer && r != null && r.connected());
        if (!c.holds(Rule.REFERRER_MAY_REFER, mayRefer)) {
            return c.refuse(Rule.REFERRER_MAY_REFER, referrer + " may not ask " + focusUri + " to call anyone");
        }
        if (!c.holds(Rule.REFEREE_ALLOWED, roster.mayJoin(target))) {
            return c.refuse(Rule.REFEREE_ALLOWED, target + " is not allowed in " + focusUri);
        }
        if (!c.holds(Rule.NOT_ALREADY_JOINED, roster.get(target) == null)) {
            return c.refuse(Rule.NOT_ALREADY_JOINED, target + " is already in " + focusUri);
        }
        if (!c.holds(Rule.ROOM_LEFT, roster.connectedCount() < limits.maxParticipants())) {
            return c.refuse(Rule.ROOM_LEFT, focusUri + " has " + limits.maxParticipants() + " participants");
        }
        Participant<L> p = new Participant<>(target, JoinMethod.DIALED_OUT, clock.instant(), Status.DIALING_OUT, "",
                Ssrc.UNASSIGNED, null);
        roster.add(p);
        return c.admit(p);
    }

    /**
     * The called-out participant answered with a verified TRANSFER_RESP naming itself: admitted if it is still
     * allowed and its SSRC is free. A refusal means the adapter hangs up and destroys {@code leg}.
     */
    public synchronized Outcome<Participant<L>> callOutAnswered(String target, String dialogId, Ssrc ssrc, L leg) {
        Checks c = new Checks();
        Participant<L> p = roster.get(target);
        if (!c.holds(Rule.CALL_OUT_PENDING, p != null && !p.connected())) {
            return c.refuse(Rule.CALL_OUT_PENDING, "no call-out to " + target + " is pending");
        }
        if (!c.holds(Rule.CONFERENCE_RUNNING, !ended)) {
            roster.forgetPending(target);
            return c.refuse(Rule.CONFERENCE_RUNNING, focusUri + " has ended");
        }
        if (!c.holds(Rule.REFEREE_ALLOWED, roster.mayJoin(target))) {
            roster.forgetPending(target);
            return c.refuse(Rule.REFEREE_ALLOWED, target + " is no longer allowed in " + focusUri);
        }
        if (!c.holds(Rule.SSRC_UNIQUE, ssrc.isAssigned() && roster.settleSsrc(target, ssrc).isPresent())) {
            roster.forgetPending(target);
            return c.refuse(Rule.SSRC_UNIQUE, "SSRC " + ssrc + " is not usable in " + focusUri);
        }
        p.connect(dialogId, ssrc, leg);
        roster.connected();
        return c.admit(p);
    }

    /** The call-out did not lead to a leg (no answer, refused, bad TRANSFER_RESP): the reservation goes. */
    public synchronized void callOutFailed(String target) {
        Participant<L> p = roster.get(target);
        if (p != null && !p.connected()) {
            roster.forgetPending(target);
        }
    }

    // ---------------------------------------------------------------- removal, leaving, end, expiry

    /**
     * The owner (or the operator) removes {@code target}: out of the allowed set and, if on a call, off it (BYE,
     * relay stopped, keys dropped by the adapter for the returned participant).
     */
    public synchronized Outcome<Departed<L>> remove(Actor actor, String target) {
        Checks c = new Checks();
        if (!c.holds(Rule.CONFERENCE_RUNNING, !ended)) {
            return c.refuse(Rule.CONFERENCE_RUNNING, focusUri + " has ended");
        }
        if (!c.holds(Rule.OWNER_OR_OPERATOR, isOwnerOrOperator(actor))) {
            return c.refuse(Rule.OWNER_OR_OPERATOR, actor.name() + " may not remove participants of " + focusUri);
        }
        if (!c.holds(Rule.TARGET_NOT_OWNER, !target.equals(owner))) {
            return c.refuse(Rule.TARGET_NOT_OWNER, null);
        }
        Participant<L> p = roster.get(target);
        if (!c.holds(Rule.TARGET_KNOWN, roster.inAllowedSet(target) || p != null)) {
            return c.refuse(Rule.TARGET_KNOWN, target + " is neither allowed in nor part of " + focusUri);
        }
        roster.disallow(target);
        return c.admit(new Departed<>(p == null ? List.of() : List.of(roster.drop(p)), false));
    }

    /** The participant hangs up its own call (BYE on {@code dialogId}). The owner leaving ends the conference. */
    public synchronized Outcome<Departed<L>> leave(String identity, String dialogId) {
        Checks c = new Checks();
        Participant<L> p = roster.get(identity);
        if (!c.holds(Rule.ON_OWN_CALL, p != null && p.connected() && p.dialogId().equals(dialogId))) {
            return c.refuse(Rule.ON_OWN_CALL, identity + " has no call " + dialogId + " with " + focusUri);
        }
        roster.drop(p);
        if (identity.equals(owner)) {
            List<Participant<L>> all = new ArrayList<>(List.of(p));
            all.addAll(endNow("the owner left"));
            return c.admit(new Departed<>(all, true));
        }
        return c.admit(new Departed<>(List.of(p), false));
    }

    /** The owner or the operator ends the conference: every leg ends. */
    public synchronized Outcome<Departed<L>> end(Actor actor) {
        Checks c = new Checks();
        if (!c.holds(Rule.CONFERENCE_RUNNING, !ended)) {
            return c.refuse(Rule.CONFERENCE_RUNNING, focusUri + " has ended");
        }
        if (!c.holds(Rule.OWNER_OR_OPERATOR, isOwnerOrOperator(actor))) {
            return c.refuse(Rule.OWNER_OR_OPERATOR, actor.name() + " may not end " + focusUri);
        }
        return c.admit(new Departed<>(endNow("ended by " + actor.name()), true));
    }

    /**
     * Ends the conference if its creation ticket's validity is over, or it has had no connected participant for
     * the idle time; empty if it goes on.
     */
    public synchronized Optional<Departed<L>> expire() {
        if (ended) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (validUntil != null && now.isAfter(validUntil)) {
            return Optional.of(new Departed<>(endNow("the creation ticket expired at " + validUntil), true));
        }
        Instant idleSince = roster.idleSince();
        if (idleSince != null && !now.isBefore(idleSince.plus(limits.idleExpiry()))) {
            return Optional.of(new Departed<>(endNow("idle for " + limits.idleExpiry()), true));
        }
        return Optional.empty();
    }

    /** Why the conference ended, or empty while it runs. */
    public synchronized Optional<String> endReason() {
        return ended ? Optional.of(endReason) : Optional.empty();
    }

    private boolean isOwnerOrOperator(Actor actor) {
        return actor instanceof Actor.Operator || actor.name().equals(owner);
    }

    private List<Participant<L>> endNow(String reason) {
        ended = true;
        endReason = reason;
        return roster.dropAll();
    }

    // ---------------------------------------------------------------- reading

    /** The participant's current leg, if it is connected. */
    public synchronized Optional<L> legOf(String identity) {
        Participant<L> p = roster.get(identity);
        return p != null && p.connected() ? Optional.of(p.leg()) : Optional.empty();
    }

    /**
     * Reads a connected participant under the conference's lock (a re-key replaces its leg, a removal drops it: read
     * or copy what you need inside {@code reader}); empty if {@code identity} is not connected or the reader
     * returned null.
     */
    public synchronized <R> Optional<R> readConnected(String identity, Function<Participant<L>, R> reader) {
        Participant<L> p = roster.get(identity);
        return p != null && p.connected() ? Optional.ofNullable(reader.apply(p)) : Optional.empty();
    }

    /** The connected participant on this dialog, if any. */
    public synchronized Optional<Participant<L>> participantOnDialog(String dialogId) {
        return roster.onDialog(dialogId);
    }

    /** A consistent picture of the conference. */
    public synchronized ConferenceState snapshot() {
        return new ConferenceState(focusUri, owner, roster.allowedSet(), roster.members(), created, validUntil,
                ended);
    }
}
