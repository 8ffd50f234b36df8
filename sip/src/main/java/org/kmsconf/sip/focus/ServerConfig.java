package org.kmsconf.sip.focus;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.CreatePolicy;
import org.kmsconf.sip.conference.FocusUris;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.media.SignallingOnlyMedia;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.trace.FlowListener;
import org.kmsconf.sip.trace.KeyLogListener;

/**
 * Configuration of a conference server.
 *
 * @param factoryUri e.g. {@code sip:factory.conference1@operator}
 * @param focusUris how focus URIs are allocated (a rule with {@code {N}}, or a list); the KMS must hold the same
 *                  for the factory, which the server checks at start ({@link FocusUriProbe})
 * @param createPolicy who decides the right to create conferences: the KMS, or a conference policy (a list)
 * @param participantsMayRefer whether participants other than the owner may ask the focus to call someone out
 * @param media the focus's media plane; null = {@link SignallingOnlyMedia}
 * @param limits conferences in all and per creator, participants per conference, idle expiry
 * @param capacity SIP workers, queue and per-source rate (beyond them: 503 with Retry-After)
 * @param probeKms whether to check at start that the KMS lets the factory resolve as the focus URIs it allocates
 * @param floorControl BFCP floor control for the conferences whose creator asks for it; null = none
 */
public record ServerConfig(String factoryUri, FocusUris focusUris, String sipHost, int sipPort, Directory directory,
                           KeyAgent keyAgent, CreatePolicy createPolicy, boolean participantsMayRefer,
                           ConferenceMedia media, FlowListener trace, KeyLogListener keyLog, Duration timeout,
                           Limits limits, Capacity capacity, boolean probeKms, FloorControlConfig floorControl) {
    public ServerConfig {
        factoryUri = Directory.normalise(factoryUri);
        focusUris = focusUris == null ? FocusUris.defaultFor(factoryUri) : focusUris;
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyAgent, "keyAgent");
        createPolicy = createPolicy == null ? CreatePolicy.KMS : createPolicy;
        media = media == null ? new SignallingOnlyMedia(sipHost) : media;
        trace = trace == null ? FlowListener.NONE : trace;
        keyLog = keyLog == null ? KeyLogListener.NONE : keyLog;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        limits = limits == null ? Limits.DEFAULT : limits;
        capacity = capacity == null ? Capacity.DEFAULT : capacity;
    }

    /**
     * Factory on {@code sipHost:sipPort}, default focus rule, creation right decided by the KMS, owner-only REFER,
     * signalling-only media, no trace, 10 s timeout, default limits, KMS probe at start, no floor control; refine with
     * {@code with…}.
     */
    public static ServerConfig of(String factoryUri, String sipHost, int sipPort, Directory directory,
                                  KeyAgent keyAgent) {
        return new ServerConfig(factoryUri, null, sipHost, sipPort, directory, keyAgent, null, false, null, null, null,
                null, null, null, true, null);
    }

    public ServerConfig withFocusUris(FocusUris f) {
        return with(e -> e.focusUris = f);
    }

    /** The conference policy of the conference system: only these may create conferences. */
    public ServerConfig withAllowedCreators(Set<String> creators) {
        CreatePolicy p = creators == null ? CreatePolicy.KMS
                : CreatePolicy.conferencePolicy(Set.copyOf(creators.stream().map(Directory::normalise).toList()));
        return with(e -> e.createPolicy = p);
    }

    public ServerConfig withParticipantsMayRefer(boolean may) {
        return with(e -> e.participantsMayRefer = may);
    }

    public ServerConfig withMedia(ConferenceMedia m) {
        return with(e -> e.media = m);
    }

    public ServerConfig withTrace(FlowListener t) {
        return with(e -> e.trace = t);
    }

    public ServerConfig withKeyLog(KeyLogListener k) {
        return with(e -> e.keyLog = k);
    }

    public ServerConfig withTimeout(Duration d) {
        return with(e -> e.timeout = d);
    }

    public ServerConfig withLimits(Limits l) {
        return with(e -> e.limits = l);
    }

    public ServerConfig withCapacity(Capacity c) {
        return with(e -> e.capacity = c);
    }

    public ServerConfig withProbeKms(boolean probe) {
        return with(e -> e.probeKms = probe);
    }

    public ServerConfig withFloorControl(FloorControlConfig f) {
        return with(e -> e.floorControl = f);
    }

    private ServerConfig with(Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return e.done();
    }

    /** A configuration's fields while one {@code with…} changes one of them. */
    private static final class Edit {
        String factoryUri;
        FocusUris focusUris;
        String sipHost;
        int sipPort;
        Directory directory;
        KeyAgent keyAgent;
        CreatePolicy createPolicy;
        boolean participantsMayRefer;
        ConferenceMedia media;
        FlowListener trace;
        KeyLogListener keyLog;
        Duration timeout;
        Limits limits;
        Capacity capacity;
        boolean probeKms;
        FloorControlConfig floorControl;

        Edit(ServerConfig c) {
            factoryUri = c.factoryUri;
            focusUris = c.focusUris;
            sipHost = c.sipHost;
            sipPort = c.sipPort;
            directory = c.directory;
            keyAgent = c.keyAgent;
            createPolicy = c.createPolicy;
            participantsMayRefer = c.participantsMayRefer;
            media = c.media;
            trace = c.trace;
            keyLog = c.keyLog;
            timeout = c.timeout;
            limits = c.limits;
            capacity = c.capacity;
            probeKms = c.probeKms;
            floorControl = c.floorControl;
        }

        ServerConfig done() {
            return new ServerConfig(factoryUri, focusUris, sipHost, sipPort, directory, keyAgent, createPolicy,
                    participantsMayRefer, media, trace, keyLog, timeout, limits, capacity, probeKms, floorControl);
        }
    }
}
