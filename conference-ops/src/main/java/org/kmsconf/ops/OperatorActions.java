package org.kmsconf.ops;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.kmsconf.sip.conference.Actor;
import org.kmsconf.sip.conference.Departed;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.Participant;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.focus.ConferenceServer;

/**
 * The operator's two actions, each the conference model's own ({@link ConferenceServer#end},
 * {@link ConferenceServer#remove} with {@link Actor#operator}): the same decision, BYE and key drop as the owner's.
 * Every attempt is audited with its outcome; a refusal of the model is answered 409 with the rule that failed.
 */
final class OperatorActions {
    private final ConferenceServer server;
    private final AdminAudit audit;
    private final ConferenceMetrics metrics;

    OperatorActions(ConferenceServer server, AdminAudit audit, ConferenceMetrics metrics) {
        this.server = server;
        this.audit = audit;
        this.metrics = metrics;
    }

    void end(Caller c, String focus, Response response, Callback callback) {
        Outcome<?> o = server.end(focus, Actor.operator(c.operator()));
        answer(c, "end", focus, focus, o, response, callback);
    }

    void remove(Caller c, String focus, String participant, Response response, Callback callback) {
        Outcome<?> o = server.remove(focus, participant, Actor.operator(c.operator()));
        answer(c, "remove", focus, participant + " from " + focus, o, response, callback);
    }

    private void answer(Caller c, String action, String focus, String target, Outcome<?> o, Response response,
                        Callback callback) {
        if (o instanceof Outcome.Refused<?> r) {
            audit.record(c.operator(), c.remote(), action, target, "REFUSED", r.failed().label() + ": " + r.detail());
            metrics.adminAction(action, "refused");
            boolean noConference = r.failed() == Rule.CONFERENCE_RUNNING && server.conference(focus).isEmpty();
            int status = noConference ? 404 : 409;
            HttpIo.json(response, callback, status, new Views.Problem(status, noConference ? "no such conference"
                    : "refused by the conference model", r.failed().label(), r.detail()));
            return;
        }
        Departed<?> d = (Departed<?>) ((Outcome.Admitted<?>) o).value();
        List<String> departed = new ArrayList<>();
        for (Participant<?> p : d.participants()) {
            departed.add(p.identity());
        }
        audit.record(c.operator(), c.remote(), action, target, "DONE", departed.isEmpty() ? "no leg to end"
                : "legs ended: " + String.join(", ", departed));
        metrics.adminAction(action, "done");
        HttpIo.json(response, callback, 200, new Views.ActionResult(action.equals("end") ? "ended" : "removed", focus,
                departed, d.conferenceEnded()));
    }
}
