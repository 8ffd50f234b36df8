package org.kmsconf.sip.conference;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The answer of the conference model to an action: admitted, with what the action produced and the rules that were
 * checked and held, or refused with the {@link Rule} that failed and a one-line detail for the log and the SIP
 * Warning. Adapters switch on it; there is no third way out of a decision.
 */
public sealed interface Outcome<T> permits Outcome.Admitted, Outcome.Refused {

    /** The rules checked (in order) and found true, for the trace; every admission went through them. */
    List<Rule> passed();

    /** Runs {@code then} with the value of an admission; does nothing for a refusal. */
    default void ifAdmitted(Consumer<T> then) {
        if (this instanceof Admitted<T> a) {
            then.accept(a.value());
        }
    }

    record Admitted<T>(T value, List<Rule> passed) implements Outcome<T> {
        public Admitted {
            passed = List.copyOf(passed);
        }
    }

    record Refused<T>(Rule failed, String detail, List<Rule> passed) implements Outcome<T> {
        public Refused {
            Objects.requireNonNull(failed, "failed");
            detail = detail == null ? failed.failure() : detail;
            passed = List.copyOf(passed);
        }

        /** The same refusal, for an outcome of another type. */
        public <U> Refused<U> as() {
            return new Refused<>(failed, detail, passed);
        }
    }
}
