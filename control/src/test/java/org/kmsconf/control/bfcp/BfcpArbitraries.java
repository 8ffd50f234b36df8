package org.kmsconf.control.bfcp;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairAction;
import org.kmsconf.control.bfcp.message.ChairActionAck;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorQuery;
import org.kmsconf.control.bfcp.message.FloorRelease;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestQuery;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAck;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAttribute;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.FloorStatusAck;
import org.kmsconf.control.bfcp.message.Goodbye;
import org.kmsconf.control.bfcp.message.GoodbyeAck;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.OverallRequestStatus;
import org.kmsconf.control.bfcp.message.Priority;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.RequestedByInformation;
import org.kmsconf.control.bfcp.message.UserQuery;
import org.kmsconf.control.bfcp.message.UserStatus;

/** Random valid messages of every primitive, grouped attributes kept under the 255-octet attribute limit. */
final class BfcpArbitraries {
    private BfcpArbitraries() {
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    static Arbitrary<CommonHeader> headers() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs().between(0, 0xFFFF_FFFFL), u16(),
                u16()).as(CommonHeader::new);
    }

    /** Short texts, some with multi-byte UTF-8 characters. */
    static Arbitrary<Optional<String>> text() {
        return Arbitraries.strings().withChars("abcXYZ09 :@.é€").ofMaxLength(12).optional();
    }

    static Arbitrary<OptionalInt> optU16() {
        return u16().optional().map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
    }

    static Arbitrary<RequestStatus> requestStatus() {
        return Combinators.combine(Arbitraries.of(RequestState.class), Arbitraries.integers().between(0, 255))
                .as(RequestStatus::new);
    }

    static Arbitrary<FloorRequestInformation> fri() {
        Arbitrary<FloorRequestStatusAttribute> frs = Combinators.combine(u16(), requestStatus().optional(), text())
                .as(FloorRequestStatusAttribute::new);
        Arbitrary<OverallRequestStatus> ors = Combinators.combine(u16(), requestStatus().optional(), text())
                .as(OverallRequestStatus::new);
        Arbitrary<BeneficiaryInformation> bi = Combinators.combine(u16(), text(), text())
                .as(BeneficiaryInformation::new);
        Arbitrary<RequestedByInformation> rbi = Combinators.combine(u16(), text(), text())
                .as(RequestedByInformation::new);
        return Combinators.combine(u16(), ors.optional(), frs.list().ofMinSize(1).ofMaxSize(3), bi.optional(),
                rbi.optional(), Arbitraries.of(Priority.class).optional(), text()).as(FloorRequestInformation::new);
    }

    static Arbitrary<BfcpMessage> messages() {
        Arbitrary<CommonHeader> h = headers();
        return Arbitraries.oneOf(List.of(
                Combinators.combine(h, u16().list().ofMinSize(1).ofMaxSize(4), optU16(), text(),
                        Arbitraries.of(Priority.class).optional()).as(FloorRequest::new),
                Combinators.combine(h, u16()).as(FloorRelease::new),
                Combinators.combine(h, u16()).as(FloorRequestQuery::new),
                Combinators.combine(h, fri()).as(FloorRequestStatus::new),
                Combinators.combine(h, optU16()).as(UserQuery::new),
                Combinators.combine(h, Combinators.combine(u16(), text(), text()).as(BeneficiaryInformation::new)
                        .optional(), fri().list().ofMaxSize(3)).as(UserStatus::new),
                Combinators.combine(h, u16().list().ofMaxSize(4)).as(FloorQuery::new),
                Combinators.combine(h, optU16(), fri().list().ofMaxSize(3)).as(FloorStatus::new),
                Combinators.combine(h, fri()).as(ChairAction::new),
                h.map(ChairActionAck::new),
                h.map(Hello::new),
                Combinators.combine(h, Arbitraries.integers().between(0, 255).list().ofMaxSize(20),
                        Arbitraries.integers().between(0, 127).list().ofMaxSize(20)).as(HelloAck::new),
                Combinators.combine(h, Arbitraries.of(ErrorCode.class), Arbitraries.integers().between(0, 255)
                        .list().ofMaxSize(5), text()).as((hh, c, d, i) -> new BfcpError(hh, c,
                                c == ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE ? d : List.of(), i)),
                h.map(FloorRequestStatusAck::new),
                h.map(FloorStatusAck::new),
                h.map(Goodbye::new),
                h.map(GoodbyeAck::new)));
    }
}
