package org.kmsconf.sip.focus;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.kmsconf.sip.ResponderStep;
import org.kmsconf.sip.SipMessages;
import org.kmsconf.sip.Tracer;
import org.kmsconf.sip.conference.Conference;
import org.kmsconf.sip.conference.ConferenceState;
import org.kmsconf.sip.conference.Conferences;
import org.kmsconf.sip.conference.Departed;
import org.kmsconf.sip.conference.Participant;
import org.kmsconf.sip.media.ConferenceMedia;
import org.kmsconf.sip.stack.SipNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the factory and focus adapters share: configuration, SIP node, trace, the one responder step, the
 * conferences (the model) with the media room of each, and how legs end (BYE, relay stopped, keys zeroed).
 */
final class ConferenceSystem {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceSystem.class);
    final ServerConfig config;
    final String factory;
    final SipNode node;
    final SipMessages msgs;
    final Tracer tracer;
    final ResponderStep step;
    final Conferences<FocusLeg> conferences;
    final FocusEvents events;
    final FocusFloors floors;
    private final Map<String, ConferenceMedia.Room> rooms = new ConcurrentHashMap<>();

    ConferenceSystem(ServerConfig config, SipNode node, Clock clock) throws IOException {
        this.config = config;
        this.factory = config.factoryUri();
        this.node = node;
        this.msgs = new SipMessages(node);
        this.tracer = new Tracer(config.trace(), config.keyLog());
        this.step = new ResponderStep(node, msgs, tracer, config.keyAgent());
        this.conferences = new Conferences<>(factory, config.focusUris(), config.createPolicy(), config.limits(),
                clock);
        this.events = new FocusEvents(this);
        this.floors = new FocusFloors(this, config.floorControl());
    }

    /** Opens the media room of a conference being created (its SSRC registry is the conference's). */
    ConferenceMedia.Room openRoom(String focusUri) {
        ConferenceMedia.Room room = config.media().open(focusUri);
        rooms.put(focusUri, room);
        return room;
    }

    void closeRoom(String focusUri) {
        floors.conferenceEnded(focusUri);
        ConferenceMedia.Room room = rooms.remove(focusUri);
        if (room != null) {
            room.close();
        }
    }

    ConferenceMedia.Room room(Conference<FocusLeg> conf) {
        return rooms.get(conf.focusUri());
    }

    Optional<Conference<FocusLeg>> conference(String focusUri) {
        return conferences.find(focusUri);
    }

    /**
     * Legs that ended by a decision of the model: each loses its relay port, its floor control and its keys at once,
     * its subscriptions end, and it gets a BYE (except {@code notTo}, who hung up itself); the other subscribers are
     * told. An ended conference is forgotten, its room closed and every subscription to it ended.
     */
    void departed(Conference<FocusLeg> conf, Departed<FocusLeg> d, String notTo, String why) {
        for (Participant<FocusLeg> p : d.participants()) {
            FocusLeg leg = p.leg();
            if (leg == null) {
                continue; // a call-out still under way: it sees the conference refuse it
            }
            leg.close();
            floors.legEnded(conf, p.identity());
            events.legEnded(conf, p.identity());
            if (!p.identity().equals(notTo)) {
                byeLater(leg.dialog());
            }
            traceChange(conf, why + " " + p.identity());
        }
        if (d.conferenceEnded()) {
            events.conferenceEnded(conf);
            conferences.forget(conf);
            closeRoom(conf.focusUri());
            traceChange(conf, "ended");
        } else {
            events.changed(conf);
        }
    }

    void traceChange(Conference<FocusLeg> conf, String change) {
        ConferenceState s = conf.snapshot();
        tracer.conference(conf.focusUri(), conf.focusUri(), change, s.owner(), s.allowed(),
                List.copyOf(s.participantSsrcs().keySet()));
    }

    private void byeLater(Dialog dialog) {
        try {
            node.executor().execute(() -> sendBye(dialog));
        } catch (RejectedExecutionException e) {
            sendBye(dialog); // overloaded: still end the call, on this thread
        }
    }

    void sendBye(Dialog dialog) {
        try {
            SipNode.Outgoing out = node.send(dialog.createRequest(Request.BYE), true);
            out.answer().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SipException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.info("BYE failed: {}", e.toString());
        }
    }
}
