package org.kmsconf.sip.conference;

import java.util.Objects;

/**
 * Who performs an action on a conference: a user authenticated by its ticket (its public identity, the ticket's
 * IDRi), or the operator of the conference service (its admin interface), who may end conferences and remove
 * participants like the owner but never joins or changes keys.
 */
public sealed interface Actor permits Actor.User, Actor.Operator {

    static Actor user(String uri) {
        return new User(uri);
    }

    static Actor operator(String name) {
        return new Operator(name);
    }

    String name();

    record User(String uri) implements Actor {
        public User {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public String name() {
            return uri;
        }
    }

    record Operator(String name) implements Actor {
        public Operator {
            Objects.requireNonNull(name, "name");
        }
    }
}
