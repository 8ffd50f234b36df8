package org.kmsconf.sip.ue;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.kmsconf.sip.Referral;

/**
 * Whether a user agent answers what others start on its behalf: a focus calling it out (flow 4 c, after the focus's
 * ticket was resolved and its identity checked) and a REFER asking it to join a conference (flow 5 b, after the
 * referrer was authenticated and the focus found in its ticket). A refusal is answered 603 Decline.
 * {@code --answer always|never|ask} on the command line.
 */
public final class AnswerPolicy {
    /** What the user is asked (for {@link #ask}): a call-out from a focus, or a referral to one. */
    public record Question(String from, String focusUri, boolean referral) {
        @Override
        public String toString() {
            return referral ? from + " asks you to join " + focusUri : focusUri + " calls you into its conference";
        }
    }

    private final String name;
    private final Predicate<Question> decide;

    private AnswerPolicy(String name, Predicate<Question> decide) {
        this.name = name;
        this.decide = decide;
    }

    public static AnswerPolicy always() {
        return new AnswerPolicy("always", q -> true);
    }

    public static AnswerPolicy never() {
        return new AnswerPolicy("never", q -> false);
    }

    /** Asks someone (a console prompt, a UI); the asker must answer within the SIP transaction's time. */
    public static AnswerPolicy ask(Predicate<Question> asker) {
        return new AnswerPolicy("ask", Objects.requireNonNull(asker));
    }

    /** {@code always} or {@code never}; {@code ask} needs an asker and is built with {@link #ask}. */
    public static AnswerPolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "always" -> always();
            case "never" -> never();
            default -> throw new IllegalArgumentException("answer policy must be always, never or ask: " + text);
        };
    }

    public boolean acceptCallOut(String focusUri) {
        return decide.test(new Question(focusUri, focusUri, false));
    }

    public boolean acceptReferral(Referral r) {
        return decide.test(new Question(r.referrer(), r.focusUri(), true));
    }

    @Override
    public String toString() {
        return name;
    }
}
