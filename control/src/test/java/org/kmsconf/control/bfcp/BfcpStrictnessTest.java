package org.kmsconf.control.bfcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorRequest;

/** Malformed input is refused with the BFCP error code RFC 8855 §13.7 names, and the header when readable. */
class BfcpStrictnessTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    private static BfcpException fail(String h) {
        BfcpException e = catchThrowableOfType(BfcpException.class, () -> BfcpCodec.decode(hex(h)));
        assertThat(e).as("refused: %s", h).isNotNull();
        return e;
    }

    /** FloorRequest for floor 1, conference 1, transaction 9, user 7. */
    private static final String FR = "20010001" + "00000001" + "0009" + "0007" + "05040001";

    @Test
    void theReferenceMessageDecodes() {
        assertThat(BfcpCodec.decode(hex(FR))).isInstanceOf(FloorRequest.class);
    }

    @Test
    void shorterThanTheHeaderIsIncorrectMessageLength() {
        assertThat(fail("2001000100").errorCode()).isEqualTo(ErrorCode.INCORRECT_MESSAGE_LENGTH);
        assertThat(fail("").header()).isEmpty();
    }

    @Test
    void aPayloadLengthThatDoesNotMatchIsIncorrectMessageLength() {
        BfcpException e = fail("20010002" + FR.substring(8));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INCORRECT_MESSAGE_LENGTH);
        assertThat(e.header().orElseThrow().transactionId()).isEqualTo(9);
        assertThat(fail(FR + "00000000").errorCode()).isEqualTo(ErrorCode.INCORRECT_MESSAGE_LENGTH);
    }

    @Test
    void version2IsUnsupportedVersionWithTheHeader() {
        BfcpException e = fail("40" + FR.substring(2));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(e.header().orElseThrow().userId()).isEqualTo(7);
    }

    @Test
    void theFragmentationFlagIsNotUsedOverTcp() {
        assertThat(fail("28" + FR.substring(2)).errorCode()).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void reservedHeaderBitsAreIgnored() {
        assertThat(BfcpCodec.decode(hex("27" + FR.substring(2)))).isEqualTo(BfcpCodec.decode(hex(FR)));
    }

    @Test
    void unknownPrimitivesAreUnknownPrimitive() {
        for (String p : new String[] {"00", "12", "ff"}) {
            assertThat(fail("20" + p + FR.substring(4)).errorCode()).isEqualTo(ErrorCode.UNKNOWN_PRIMITIVE);
        }
    }

    @Test
    void anUnknownMandatoryAttributeIsReportedByType() {
        // type 40 with M = 1 (0x51), Length 4
        BfcpException e = fail("20010002" + FR.substring(8, 24) + "05040001" + "51040000");
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE);
        assertThat(e.unknownAttributes()).containsExactly(40);
        BfcpError answer = BfcpError.unknownMandatoryAttributes(e.header().orElseThrow().response(),
                e.unknownAttributes());
        assertThat(answer.unknownAttributeTypes()).containsExactly(40);
    }

    @Test
    void anUnknownOptionalAttributeIsSkipped() {
        // type 40 with M = 0 (0x50), Length 6, padded to 8
        assertThat(BfcpCodec.decode(hex("20010003" + FR.substring(8, 24) + "05040001" + "5006aabbccdd0000")))
                .isEqualTo(BfcpCodec.decode(hex(FR)));
    }

    @Test
    void aMissingMandatoryAttributeIsUnableToParse() {
        assertThat(fail("20010000" + FR.substring(8, 24)).errorCode()).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void anAttributeTheMessageDoesNotAllowIsUnableToParse() {
        // FLOOR-REQUEST-ID (3) inside a FloorRequest
        assertThat(fail("20010002" + FR.substring(8) + "07040005").errorCode())
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void aSecondSingleAttributeIsUnableToParse() {
        assertThat(fail("20010003" + FR.substring(8) + "09044000" + "09044000").errorCode())
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void attributesMayComeInAnyOrder() {
        assertThat(BfcpCodec.decode(hex("20010002" + FR.substring(8, 24) + "09044000" + "05040001")))
                .isEqualTo(BfcpCodec.decode(hex("20010002" + FR.substring(8) + "09044000")));
    }

    @Test
    void lyingAttributeLengthsAreUnableToParse() {
        for (String attr : new String[] {"0500", "0501", "05030001", "05050001", "05ff0001", "0508000100000000"}) {
            String body = attr + "0".repeat((8 - attr.length() % 8) % 8);
            String msg = String.format("2001%04x", body.length() / 8) + FR.substring(8, 24) + body;
            assertThat(fail(msg).errorCode()).as(attr).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
        }
    }

    @Test
    void aGroupWhoseChildRunsPastItsEndIsUnableToParse() {
        // FloorRequestStatus: FLOOR-REQUEST-INFORMATION Length 8 holding a FLOOR-REQUEST-STATUS of Length 8
        assertThat(fail("30040004" + "00000001" + "0005" + "0007" + "1f080003" + "23080001" + "0b040300" + "00000000")
                .errorCode()).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void aGroupWithoutItsRequiredChildIsUnableToParse() {
        // FLOOR-REQUEST-INFORMATION without any FLOOR-REQUEST-STATUS
        assertThat(fail("30040001" + "00000001" + "0005" + "0007" + "1f040003").errorCode())
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void reservedValuesAreUnableToParse() {
        assertThat(fail("20010002" + FR.substring(8) + "0904a000").errorCode()) // priority 5
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
        assertThat(fail("30040005" + "00000001" + "0005" + "0007" + "1f140003" + "25080003" + "0b040800"
                + "23080001" + "0b040300").errorCode()).isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE); // status 8
        assertThat(fail("300d0001" + "00000001" + "0005" + "0007" + "0d030f00").errorCode()) // error code 15
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }

    @Test
    void textThatIsNotUtf8IsUnableToParse() {
        assertThat(fail("20010002" + FR.substring(8) + "1104c328").errorCode())
                .isEqualTo(ErrorCode.UNABLE_TO_PARSE_MESSAGE);
    }
}
