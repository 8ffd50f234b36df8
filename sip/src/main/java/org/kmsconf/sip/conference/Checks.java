package org.kmsconf.sip.conference;

import java.util.ArrayList;
import java.util.List;

/** The rules one decision evaluated so far; builds its {@link Outcome}. Used under the conference's lock. */
final class Checks {
    private final List<Rule> passed = new ArrayList<>();

    /** Records {@code rule} as evaluated; true if it holds. */
    boolean holds(Rule rule, boolean holds) {
        if (holds) {
            passed.add(rule);
        }
        return holds;
    }

    <T> Outcome<T> refuse(Rule rule, String detail) {
        return new Outcome.Refused<>(rule, detail, passed);
    }

    <T> Outcome<T> admit(T value) {
        return new Outcome.Admitted<>(value, passed);
    }
}
