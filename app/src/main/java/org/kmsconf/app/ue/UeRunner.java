package org.kmsconf.app.ue;

import java.io.PrintWriter;
import java.util.List;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ReferOutcome;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/** Runs a {@link UeScript} on a user agent, printing one result line per action; stops at the first failure. */
final class UeRunner {
    private final UserAgent ua;
    private final PrintWriter out;
    private final UeMedia media;
    private String focus;

    UeRunner(UserAgent ua, PrintWriter out, UeMedia media) {
        this.ua = ua;
        this.out = out;
        this.media = media;
    }

    boolean run(UeScript script) throws InterruptedException {
        for (UeScript.Action a : script.actions()) {
            List<String> args = a.resolved(focus);
            String shown = a.verb().name().toLowerCase(java.util.Locale.ROOT) + " " + String.join(" ", args);
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
                UserAgent.Created c = ua.createConference(args.get(0), rest);
                focus = c.focusUri();
                return "focus " + focus + " (authenticated as the IDRr of the factory's TRANSFER_RESP)";
            }
            case JOIN -> {
                Call call = rest.isEmpty() ? ua.join(args.get(0)) : ua.join(args.get(0), rest);
                if (media != null) {
                    media.start(call);
                }
                return "in " + call.peer() + ", SSRC " + call.ssrc()
                        + " assigned by the focus";
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
            default -> throw new IllegalStateException("unhandled action " + verb);
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
