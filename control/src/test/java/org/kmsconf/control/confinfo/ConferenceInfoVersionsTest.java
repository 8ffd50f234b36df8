package org.kmsconf.control.confinfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Full and partial states, version numbering (RFC 4575 §4.5-§4.6): the focus's publisher and the subscriber's
 * view agree after any sequence of joins, leaves and changes, through the XML; replays are dropped and gaps ask for
 * the full state.
 */
class ConferenceInfoVersionsTest {
    static final String FOCUS = "sip:focus7.conference1@operator";

    static User user(String name, EndpointStatus status, long ssrc) {
        return new User("sip:" + name + "@operator", State.FULL, Optional.empty(), List.of(),
                List.of(new Endpoint("sip:" + name + "@host", State.FULL, Optional.empty(), Optional.of(status),
                        Optional.of(JoiningMethod.DIALED_IN), Optional.empty(), List.of(Media.audio("1", ssrc)))));
    }

    static ConferenceInfo state(List<User> users) {
        return new ConferenceInfo(FOCUS, State.FULL, 0, Optional.empty(), Optional.empty(),
                Optional.of(new ConferenceState(Optional.of((long) users.size()), Optional.of(true),
                        Optional.of(false))), users);
    }

    static ConferenceInfo viaXml(ConferenceInfo c) throws ConferenceInfoException {
        return ConferenceInfoXml.parse(ConferenceInfoXml.write(c));
    }

    @Test
    void fullThenPartialsWithVersionsUpByOne() throws Exception {
        ConferenceInfoPublisher pub = new ConferenceInfoPublisher();
        ConferenceInfoView view = new ConferenceInfoView();
        User alice = user("alice", EndpointStatus.CONNECTED, 1);
        User bob = user("bob", EndpointStatus.CONNECTED, 2);

        ConferenceInfo n1 = pub.next(state(List.of(alice))).orElseThrow();
        assertThat(n1.state()).isEqualTo(State.FULL);
        assertThat(n1.version()).isEqualTo(1);
        assertThat(view.apply(viaXml(n1))).isEqualTo(ConferenceInfoView.Result.APPLIED);

        ConferenceInfo n2 = pub.next(state(List.of(alice, bob))).orElseThrow();
        assertThat(n2.state()).isEqualTo(State.PARTIAL);
        assertThat(n2.version()).isEqualTo(2);
        assertThat(n2.users()).containsExactly(bob);
        assertThat(view.apply(viaXml(n2))).isEqualTo(ConferenceInfoView.Result.APPLIED);
        assertThat(view.current().orElseThrow().users()).containsExactly(alice, bob);

        assertThat(pub.next(state(List.of(alice, bob)))).as("nothing changed, nothing sent").isEmpty();

        ConferenceInfo n3 = pub.next(state(List.of(bob))).orElseThrow();
        assertThat(n3.users()).containsExactly(User.deleted(alice.entity()));
        assertThat(n3.version()).isEqualTo(3);

        // a replay of an older body is dropped; the gap after a lost notification asks for the full state
        assertThat(view.apply(viaXml(n2))).isEqualTo(ConferenceInfoView.Result.REPLAY);
        ConferenceInfo n4 = pub.next(state(List.of())).orElseThrow();
        assertThat(view.apply(viaXml(n4))).isEqualTo(ConferenceInfoView.Result.NEEDS_FULL_STATE);
        ConferenceInfo refresh = pub.full(state(List.of()));
        assertThat(refresh.version()).isEqualTo(5);
        assertThat(view.apply(viaXml(refresh))).isEqualTo(ConferenceInfoView.Result.APPLIED);
        assertThat(view.current().orElseThrow().users()).isEmpty();
        assertThat(view.version()).isEqualTo(5);
    }

    @Test
    void aPartialBeforeAnyFullStateAsksForTheFullState() {
        ConferenceInfoView view = new ConferenceInfoView();
        ConferenceInfo partial = new ConferenceInfo(FOCUS, State.PARTIAL, 1, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of());
        assertThat(view.apply(partial)).isEqualTo(ConferenceInfoView.Result.NEEDS_FULL_STATE);
    }

    @Test
    void aPartialUserMergesItsEndpoints() {
        ConferenceInfoView view = new ConferenceInfoView();
        view.apply(state(List.of(user("bob", EndpointStatus.CONNECTED, 2))).withVersion(1));
        Endpoint onHold = new Endpoint("sip:bob@host", State.PARTIAL, Optional.empty(),
                Optional.of(EndpointStatus.ON_HOLD), Optional.empty(), Optional.empty(), List.of());
        User partialBob = new User("sip:bob@operator", State.PARTIAL, Optional.empty(), List.of(), List.of(onHold));
        assertThat(view.apply(new ConferenceInfo(FOCUS, State.PARTIAL, 2, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(partialBob)))).isEqualTo(ConferenceInfoView.Result.APPLIED);
        Endpoint e = view.current().orElseThrow().users().get(0).endpoints().get(0);
        assertThat(e.status()).hasValue(EndpointStatus.ON_HOLD);
        assertThat(e.joiningMethod()).as("kept").hasValue(JoiningMethod.DIALED_IN);
        assertThat(e.media()).as("kept").hasSize(1);
    }
}
