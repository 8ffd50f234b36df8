package org.kmsconf.app.ue;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferOutcome;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.FloorSession;
import org.kmsconf.sip.ue.UserAgent;

/** Runs a {@link UeScript} on a user agent, printing one result line per action; stops at the first failure. */
final class UeRunner {
    private final UserAgent ua;
    private final PrintWriter out;
    private final UeMedia media;
    private final boolean floorControl;
    private String focus;

    UeRunner(UserAgent ua, PrintWriter out, UeMedia media, boolean floorControl) {
        this.ua = ua;
        this.out = out;
        this.media = media;
        this.floorControl = floorControl;
    }

    boolean run(UeScript script) throws InterruptedException {
        for (UeScript.Action a : script.actions()) {
            List<String> args = a.resolved(focus);
            String shown = a.verb().word() + " " + String.join(" ", args);
            try {
                out.println("✓ " + shown + ": " + perform(a.verb(), args));
            } catch (FlowFailedException e) {
                out.println("✗ " + shown + ": " + (e.status() > 0 ? e.status() + " " : "") + e.getMessage());
                out.flush();
                return false;
            }
            out.flush();
        }
        return true;
    }

    private String perform(UeScript.Verb verb, List<String> args) throws FlowFailedException, InterruptedException {
        List<String> rest = args.subList(1, args.size());
        switch (verb) {
            case CREATE -> {
                UserAgent.Created c = ua.createConference(args.get(0), rest, floorControl);
                focus = c.focusUri();
                return "focus " + focus + " (authenticated as the IDRr of the factory's TRANSFER_RESP)"
                        + (floorControl ? ", floor control asked for" : "");
            }
            case JOIN -> {
                Call call = rest.isEmpty() ? ua.join(args.get(0)) : ua.join(args.get(0), rest);
                if (media != null) {
                    media.start(call);
                }
                return "in " + call.peer() + ", SSRC " + call.ssrc() + " assigned by the focus"
                        + call.bfcp().map(l -> ", floor control as BFCP user " + l.userId() + " of conference "
                                + l.confId()).orElse("");
            }
            case INVITE -> {
                ReferOutcome o = ua.referFocus(args.get(0), args.get(1));
                return outcome(o, "the focus called " + args.get(1) + " out");
            }
            case REFER -> {
                ReferOutcome o = ua.referUser(args.get(0), args.get(1));
                return outcome(o, args.get(0) + " joined " + args.get(1));
            }
            case UPDATE -> {
                Call call = ua.updateAllowed(args.get(0), rest, UserAgent.UpdateMethod.UPDATE);
                if (media != null) {
                    media.start(call); // new TRANSFER exchange, new keys
                }
                return "allowed set of " + call.peer() + " is now " + rest + " (leg re-keyed)";
            }
            case REMOVE -> {
                ReferOutcome o = ua.removeParticipant(args.get(0), args.get(1));
                return outcome(o, args.get(1) + " removed from " + args.get(0) + " (out of the allowed set, BYE)");
            }
            case LEAVE -> {
                if (media != null) {
                    media.stop(args.get(0), true);
                }
                ua.leave(args.get(0));
                return "left " + args.get(0);
            }
            case WAIT -> {
                sleep(Double.parseDouble(args.get(0)));
                return "waited " + args.get(0) + " s";
            }
            case REQUEST_FLOOR -> {
                FloorSession.Status s = floor(args.get(0), true).request();
                return "floor request " + s.floorRequestId() + " " + s.state().rfcName();
            }
            case RELEASE_FLOOR -> {
                FloorSession f = floor(args.get(0), false);
                FloorSession.Status mine = f.requestOf(ua.identity()).orElseThrow(() ->
                        new FlowFailedException(0, "no floor request of ours in " + args.get(0)));
                return "floor request " + mine.floorRequestId() + " " + f.release(mine.floorRequestId()).state()
                        .rfcName();
            }
            case GRANT_FLOOR, DENY_FLOOR, REVOKE_FLOOR -> {
                FloorSession f = floor(args.get(0), false);
                FloorSession.Status theirs = requestOf(f, Directory.normalise(args.get(1)));
                RequestState decision = verb == UeScript.Verb.GRANT_FLOOR ? RequestState.GRANTED
                        : verb == UeScript.Verb.DENY_FLOOR ? RequestState.DENIED : RequestState.REVOKED;
                f.decide(theirs.floorRequestId(), decision);
                return "the chair set " + args.get(1) + "'s floor request " + theirs.floorRequestId() + " to "
                        + decision.rfcName();
            }
            default -> throw new IllegalStateException("unhandled action " + verb);
        }
    }

    /** Floor control with a focus; {@code add}: ask for it on the call first if the call has none yet. */
    private FloorSession floor(String focusUri, boolean add) throws FlowFailedException {
        Optional<FloorSession> f = ua.floor(focusUri);
        if (f.isPresent()) {
            return f.get();
        }
        if (!add) {
            throw new FlowFailedException(0, "no floor control with " + focusUri);
        }
        FloorSession added = ua.addFloorControl(focusUri);
        if (media != null) {
            ua.call(focusUri).ifPresent(media::start); // the re-INVITE re-keyed the leg
        }
        return added;
    }

    /** The open request of {@code user} as the chair last saw it; waits a little for the FloorStatus naming it. */
    private static FloorSession.Status requestOf(FloorSession f, String user)
            throws FlowFailedException, InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (true) {
            Optional<FloorSession.Status> s = f.requestOf(user);
            if (s.isPresent()) {
                return s.get();
            }
            if (System.nanoTime() > end) {
                throw new FlowFailedException(0, user + " has no open floor request in " + f.focusUri());
            }
            Thread.sleep(20);
        }
    }

    private static String outcome(ReferOutcome o, String success) throws FlowFailedException {
        if (!o.succeeded()) {
            throw new FlowFailedException(o.finalStatus(), "REFER accepted but the call failed: " + o.progress());
        }
        return success + " (NOTIFY " + String.join(" → ", o.progress()) + ")";
    }

    static void sleep(double seconds) throws InterruptedException {
        long ms = seconds >= Long.MAX_VALUE / 1000.0 ? Long.MAX_VALUE : (long) (seconds * 1000);
        Thread.sleep(ms);
    }
}
