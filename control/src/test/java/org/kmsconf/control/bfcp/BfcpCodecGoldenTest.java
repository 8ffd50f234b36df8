package org.kmsconf.control.bfcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.Goodbye;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.Priority;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.UserStatus;

/**
 * Messages written out by hand from RFC 8855 §5 (common header Figure 5, attribute header Figure 6, the formats of
 * §5.2.1-§5.2.18; primitive and attribute numbers as in RFC 8855 Tables 1 and 2 and the IANA BFCP registry, which
 * Wireshark's packet-bfcp.c and libre's bfcp module also use for 1-13 and for every attribute), decoded to the
 * model and re-encoded byte for byte. The expected bytes share nothing with the encoder.
 */
class BfcpCodecGoldenTest {
    static final CommonHeader REQ = CommonHeader.request(0x01020304L, 0x1234, 7);
    static final FloorRequestInformation GRANTED_3_ON_1 = FloorRequestInformation.of(3, 1,
            RequestStatus.of(RequestState.GRANTED));

    record Case(String name, String hex, BfcpMessage model) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                // Ver=1 R=0 F=0 | Hello(11) | Payload Length 0 | Conference ID 1 | Transaction ID 1 | User ID 2
                new Case("Hello", "200b0000" + "00000001" + "0001" + "0002",
                        new Hello(CommonHeader.request(1, 1, 2))),
                // R=1 | HelloAck(12) | 10 words | SUPPORTED-PRIMITIVES (11<<1|M, Length 19, 1..17, 1 pad octet)
                // | SUPPORTED-ATTRIBUTES (10<<1|M, Length 20, (1..18)<<1)
                new Case("HelloAck", "300c000a" + "00000001" + "0001" + "0002"
                        + "1713" + "0102030405060708090a0b0c0d0e0f1011" + "00"
                        + "1514" + "020406080a0c0e10121416181a1c1e202224",
                        HelloAck.everythingWeSupport(CommonHeader.request(1, 1, 2).response())),
                // FloorRequest(1) | FLOOR-ID 1 | PRIORITY Normal (Prio 2 in the top 3 bits)
                new Case("FloorRequest", "20010002" + "01020304" + "1234" + "0007" + "05040001" + "09044000",
                        new FloorRequest(REQ, List.of(1), OptionalInt.empty(), Optional.empty(),
                                Optional.of(Priority.NORMAL))),
                // FLOOR-ID 1, FLOOR-ID 2, BENEFICIARY-ID 9, PARTICIPANT-PROVIDED-INFO "hi", PRIORITY High
                new Case("third-party FloorRequest", "20010005" + "01020304" + "1234" + "0007"
                        + "05040001" + "05040002" + "03040009" + "11046869" + "09046000",
                        new FloorRequest(REQ, List.of(1, 2), OptionalInt.of(9), Optional.of("hi"),
                                Optional.of(Priority.HIGH))),
                // FloorRequestStatus(4), R | FLOOR-REQUEST-INFORMATION (15<<1|M, Length 20, Floor Request ID 3)
                //   OVERALL-REQUEST-STATUS (18<<1|M, Length 8, id 3) REQUEST-STATUS (5<<1|M, 4, Granted, queue 0)
                //   FLOOR-REQUEST-STATUS (17<<1|M, Length 8, Floor ID 1) REQUEST-STATUS Granted
                new Case("FloorRequestStatus", "30040005" + "00000001" + "0005" + "0007"
                        + "1f140003" + "25080003" + "0b040300" + "23080001" + "0b040300",
                        new FloorRequestStatus(CommonHeader.request(1, 5, 7).response(), GRANTED_3_ON_1)),
                // FloorStatus(8) notification, Transaction ID 0 | FLOOR-ID 1 | the same FLOOR-REQUEST-INFORMATION
                new Case("FloorStatus", "20080006" + "00000001" + "0000" + "0007" + "05040001"
                        + "1f140003" + "25080003" + "0b040300" + "23080001" + "0b040300",
                        new FloorStatus(CommonHeader.notification(1, 7), OptionalInt.of(1),
                                List.of(GRANTED_3_ON_1))),
                // UserStatus(6), R | BENEFICIARY-INFORMATION (14<<1|M, Length 12, id 9)
                //   USER-DISPLAY-NAME (12<<1|M, Length 5, "Bob", 3 pad octets): padding inside a group
                new Case("UserStatus", "30060003" + "00000001" + "0006" + "0009"
                        + "1d0c0009" + "1905" + "426f62" + "000000",
                        new UserStatus(CommonHeader.request(1, 6, 9).response(),
                                Optional.of(new BeneficiaryInformation(9, Optional.of("Bob"), Optional.empty())),
                                List.of())),
                // Error(13), R | ERROR-CODE (6<<1|M, Length 5, 4 Unknown Mandatory Attribute, details 40<<1 41<<1,
                // 3 pad octets) | ERROR-INFO (7<<1|M, Length 3, "x", 1 pad octet)
                new Case("Error", "300d0003" + "00000001" + "0007" + "0002"
                        + "0d05" + "04" + "5052" + "000000" + "0f03" + "78" + "00",
                        new BfcpError(CommonHeader.request(1, 7, 2).response(),
                                ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE, List.of(0x50, 0x52), Optional.of("x"))),
                // Goodbye(16), RFC 8855 numbering
                new Case("Goodbye", "20100000" + "00000001" + "0008" + "0002",
                        new Goodbye(CommonHeader.request(1, 8, 2))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodesToTheModelAndReEncodesByteForByte(Case c) {
        byte[] wire = HexFormat.of().parseHex(c.hex());
        assertThat(BfcpCodec.decode(wire)).isEqualTo(c.model());
        assertThat(HexFormat.of().formatHex(BfcpCodec.encode(c.model()))).isEqualTo(c.hex());
    }
}
