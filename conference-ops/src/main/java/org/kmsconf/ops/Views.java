package org.kmsconf.ops;

import java.time.Instant;
import java.util.List;
import org.kmsconf.mikey.message.Ssrc;

/** What the admin API returns (as JSON) and the console draws. Never a key: fingerprints and policies only. */
public final class Views {
    private Views() { }

    /** One line of {@code GET /api/conferences}. */
    public record ConferenceSummary(String focusUri, String owner, Instant created, Instant validUntil,
                                    int allowed, int connected, int dialingOut) { }

    /** {@code GET /api/conferences/{focus}}: the conference with every member and leg. */
    public record ConferenceDetail(String focusUri, String owner, Instant created, Instant validUntil,
                                   List<String> allowed, List<ParticipantView> participants) { }

    /**
     * A member: identity, RFC 4575 status ({@code CONNECTED}, {@code DIALING_OUT}) and joining method, its SSRC
     * (unassigned while dialling out), since when, and its leg once connected.
     */
    public record ParticipantView(String identity, String status, String joinMethod, Ssrc ssrc, Instant since,
                                  LegView leg) { }

    /**
     * A participant's leg at the focus: the SIP dialog ({@code Call-ID;tag}) and Call-ID; the focus's relay address
     * for it and the participant's address as the relay learnt it from authenticated packets; the two crypto
     * sessions; packet counters and rates.
     */
    public record LegView(String dialogId, String callId, String relayAddress, String participantAddress,
                          CryptoSessionView fromParticipant, CryptoSessionView toParticipant, Counters counters,
                          Rates rates) { }

    /** One direction: CS id, SSRC (0 towards the participant: relayed streams keep theirs), SRTP policy, key fingerprint. */
    public record CryptoSessionView(int csId, Ssrc ssrc, String srtpPolicy, String keyFingerprint) { }

    /**
     * The relay's counters for the leg. {@code received} = packets from the participant, each ending in exactly one of
     * authenticated, authFailures, replayDrops, ssrcDrops, invalidDrops; {@code sent} = packets relayed to it,
     * {@code sendDrops} those its socket would not take.
     */
    public record Counters(long received, long authenticated, long authFailures, long replayDrops, long ssrcDrops,
                           long invalidDrops, long sent, long sendDrops) { }

    /** Packets per second over the last sampling interval: from the participant (authenticated) and to it. */
    public record Rates(double inPerSecond, double outPerSecond) {
        static final Rates NONE = new Rates(0, 0);
    }

    /** The result of an end or a removal: done, and which participants lost their leg. */
    public record ActionResult(String outcome, String focusUri, List<String> departed, boolean conferenceEnded) { }

    /** A refusal of the conference model to an operator action (409), or another error. */
    public record Problem(int status, String error, String rule, String detail) { }

    /** The whole picture the console draws, pushed on every change and once a second. */
    public record State(Instant at, List<ConferenceDetail> conferences) { }
}
