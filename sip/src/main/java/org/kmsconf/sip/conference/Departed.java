package org.kmsconf.sip.conference;

import java.util.List;

/**
 * Participants whose legs an action on a {@link Conference} ended (to hang up and forget the keys of), and whether it
 * ended the conference.
 */
public record Departed<L>(List<Participant<L>> participants, boolean conferenceEnded) { }
