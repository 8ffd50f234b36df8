package org.kmsconf.control.confinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.control.confinfo.ConferenceInfoVersionsTest.state;
import static org.kmsconf.control.confinfo.ConferenceInfoVersionsTest.user;
import static org.kmsconf.control.confinfo.ConferenceInfoVersionsTest.viaXml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** After any history of joins, leaves and status changes, the subscriber's view equals the focus's state. */
class ConferenceInfoVersionsProperties {
    @Provide
    Arbitrary<List<List<Integer>>> histories() {
        // each step: the set of users present, each with a status index
        return Arbitraries.integers().between(0, 15).list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 200)
    void theViewAlwaysEqualsTheLatestState(@ForAll("histories") List<List<Integer>> history)
            throws ConferenceInfoException {
        ConferenceInfoPublisher pub = new ConferenceInfoPublisher();
        ConferenceInfoView view = new ConferenceInfoView();
        ConferenceInfo latest = null;
        for (List<Integer> step : history) {
            List<User> users = new ArrayList<>();
            for (int u : step.stream().distinct().toList()) {
                users.add(user("u" + (u % 8), EndpointStatus.values()[u % 3], u));
            }
            users = users.stream().collect(java.util.stream.Collectors.toMap(User::entity, x -> x, (a, b) -> a,
                    java.util.LinkedHashMap::new)).values().stream().toList();
            latest = state(users);
            Optional<ConferenceInfo> n = pub.next(latest);
            if (n.isPresent()) {
                assertThat(view.apply(viaXml(n.get()))).isEqualTo(ConferenceInfoView.Result.APPLIED);
            }
        }
        ConferenceInfo seen = view.current().orElseThrow();
        assertThat(seen.version()).isEqualTo(pub.version());
        assertThat(new java.util.HashSet<>(seen.users())).isEqualTo(new java.util.HashSet<>(latest.users()));
        assertThat(seen.conferenceState()).isEqualTo(latest.conferenceState());
    }
}
