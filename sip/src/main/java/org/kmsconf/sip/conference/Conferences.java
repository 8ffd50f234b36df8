package org.kmsconf.sip.conference;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.media.relay.SsrcRegistry;

/**
 * The conferences of one conference system (its factory and every focus it created): creation under the seed's
 * rules and the service limits, lookup by focus URI, and the end of conferences that expired.
 */
public final class Conferences<L> {
    /** A step that must succeed for the creation to happen (the factory's TRANSFER_RESP). */
    @FunctionalInterface
    public interface Step<T, X extends Exception> {
        T run() throws X;
    }

    /** A created conference and what the creation step produced. */
    public record Created<L, T>(Conference<L> conference, T stepResult) { }

    /** A conference that ended by expiry, with the legs to hang up. */
    public record Expired<L>(Conference<L> conference, Departed<L> departed) { }

    private final String factoryUri;
    private final FocusUris focusUris;
    private final CreatePolicy policy;
    private final Limits limits;
    private final Clock clock;
    private final Map<String, Conference<L>> byFocus = new ConcurrentHashMap<>();
    /** Focus URIs allocated to a creation still under way (its RESOLVE runs as that URI). */
    private final Set<String> reserved = new HashSet<>();

    public Conferences(String factoryUri, FocusUris focusUris, CreatePolicy policy, Limits limits, Clock clock) {
        this.factoryUri = factoryUri;
        this.focusUris = focusUris;
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
    }

    public String factoryUri() {
        return factoryUri;
    }

    public Limits limits() {
        return limits;
    }

    public FocusUris focusUris() {
        return focusUris;
    }

    /**
     * A focus URI for a creation under way, held until {@link #create} or {@link #release}; empty when an explicit
     * list has none left.
     */
    public synchronized Optional<String> allocateFocusUri() {
        Optional<String> uri = focusUris.allocate(u -> byFocus.containsKey(u) || reserved.contains(u));
        uri.ifPresent(reserved::add);
        return uri;
    }

    /** Gives back a focus URI whose creation did not happen. */
    public synchronized void release(String focusUri) {
        reserved.remove(focusUri);
    }

    /**
     * The creation checks on what a TRANSFER_INIT claims before it is authenticated, so that a request the factory
     * would refuse anyway costs no KMS exchange. {@link #create} checks again on the authenticated ticket.
     */
    public synchronized Outcome<Void> precheck(String claimedCreator, List<String> claimedRecipients) {
        Checks c = new Checks();
        return this.<Void>check(c, new TicketScope(claimedCreator, claimedRecipients)).orElseGet(() -> c.admit(null));
    }

    /**
     * Flow 1 b: records the conference {@code focusUri} with its creator (owner) and allowed set (the ticket's
     * recipients minus the factory and the creator) once every rule holds and {@code step} succeeded; otherwise
     * nothing exists.
     */
    public synchronized <T, X extends Exception> Outcome<Created<L, T>> create(TicketScope ticket, String focusUri,
            Instant validUntil, SsrcRegistry ssrcs, Step<T, X> step) throws X {
        Checks c = new Checks();
        Optional<Outcome<Created<L, T>>> refused = check(c, ticket);
        if (refused.isPresent()) {
            reserved.remove(focusUri);
            return refused.get();
        }
        if (policy.byKms()) {
            // The resolve as this new focus URI succeeded and the ticket names this factory: the KMS resolves so only
            // for an initiator with the right to create conferences (docs/security.md "Creation").
            c.holds(Rule.CREATOR_AUTHORISED_BY_KMS, true);
        }
        if (!reserved.contains(focusUri)) {
            throw new IllegalStateException("focus URI not allocated for this creation: " + focusUri);
        }
        T result;
        try {
            result = step.run();
        } finally {
            reserved.remove(focusUri);
        }
        Conference<L> conference = new Conference<>(focusUri, factoryUri, ticket.initiator(),
                ticket.allowedSet(focusUri, factoryUri).orElse(Set.of()), validUntil, limits, ssrcs, clock);
        byFocus.put(focusUri, conference);
        return c.admit(new Created<>(conference, result));
    }

    /** The creation rules in order; the refusal if one fails. */
    private <T> Optional<Outcome<T>> check(Checks c, TicketScope ticket) {
        String creator = ticket.initiator();
        if (!c.holds(Rule.TICKET_NAMES_FACTORY, ticket.names(factoryUri))) {
            return Optional.of(c.refuse(Rule.TICKET_NAMES_FACTORY, "the ticket of " + creator + " does not name "
                    + factoryUri));
        }
        if (policy.creators().isPresent() && !c.holds(Rule.CREATOR_AUTHORISED_BY_CONFERENCE_POLICY,
                policy.creators().get().contains(creator))) {
            return Optional.of(c.refuse(Rule.CREATOR_AUTHORISED_BY_CONFERENCE_POLICY, creator
                    + " may not create secure conferences (conference policy)"));
        }
        if (!c.holds(Rule.SYSTEM_BELOW_LIMIT, active() < limits.maxConferences())) {
            return Optional.of(c.refuse(Rule.SYSTEM_BELOW_LIMIT, "the conference system holds "
                    + limits.maxConferences() + " conferences"));
        }
        if (!c.holds(Rule.CREATOR_BELOW_LIMIT, ownedBy(creator) < limits.maxConferencesPerCreator())) {
            return Optional.of(c.refuse(Rule.CREATOR_BELOW_LIMIT, creator + " owns "
                    + limits.maxConferencesPerCreator() + " conferences"));
        }
        return Optional.empty();
    }

    private long active() {
        return byFocus.values().stream().filter(c -> !c.ended()).count();
    }

    private long ownedBy(String creator) {
        return byFocus.values().stream().filter(c -> !c.ended() && c.owner().equals(creator)).count();
    }

    /** The running conference at this focus URI. */
    public Optional<Conference<L>> find(String focusUri) {
        Conference<L> c = byFocus.get(focusUri);
        return c == null || c.ended() ? Optional.empty() : Optional.of(c);
    }

    public boolean inUse(String focusUri) {
        return byFocus.containsKey(focusUri);
    }

    /** Drops an ended conference from the system (its focus URI then answers 404). */
    public void forget(Conference<L> c) {
        byFocus.remove(c.focusUri(), c);
    }

    public List<Conference<L>> all() {
        return List.copyOf(byFocus.values());
    }

    /** Ends (and forgets) every conference whose time is over; the legs to hang up come back. */
    public List<Expired<L>> expire() {
        List<Expired<L>> out = new ArrayList<>();
        for (Conference<L> c : byFocus.values()) {
            c.expire().ifPresent(d -> out.add(new Expired<>(c, d)));
            if (c.ended()) {
                forget(c);
            }
        }
        return out;
    }
}
