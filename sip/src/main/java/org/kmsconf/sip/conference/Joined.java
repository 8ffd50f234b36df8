package org.kmsconf.sip.conference;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A participant joined a {@link Conference} or re-keyed its leg; when the owner's ticket replaced the allowed set, who
 * lost their leg; the leg a re-key replaced (null for a newcomer).
 */
public record Joined<L>(Participant<L> participant, boolean newcomer, Optional<Set<String>> allowedSetReplaced,
                        List<Participant<L>> removed, L previousLeg) { }
