package org.kmsconf.control.bfcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.AttributeType;
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
import org.kmsconf.control.bfcp.message.Primitive;
import org.kmsconf.control.bfcp.message.Priority;
import org.kmsconf.control.bfcp.message.RequestState;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.RequestedByInformation;
import org.kmsconf.control.bfcp.message.UserQuery;
import org.kmsconf.control.bfcp.message.UserStatus;

/**
 * Reads one message (RFC 8855 §5): the COMMON-HEADER, then the attributes with the cardinality of §5.3. Every
 * failure is a {@link BfcpException} carrying the error code to answer with and, once readable, the header.
 */
final class BfcpDecoder {
    private BfcpDecoder() {
    }

    static BfcpMessage decode(byte[] b) {
        if (b.length < BfcpCodec.HEADER_BYTES) {
            throw new BfcpException(ErrorCode.INCORRECT_MESSAGE_LENGTH, "shorter than the 12-octet common header",
                    b.length);
        }
        CommonHeader h = new CommonHeader((b[0] & 0x10) != 0, u32(b, 4), u16(b, 8), u16(b, 10));
        try {
            return decode(b, h);
        } catch (BfcpException e) {
            throw e.header().isPresent() ? e : e.withHeader(h);
        }
    }

    private static BfcpMessage decode(byte[] b, CommonHeader h) {
        int version = (b[0] & 0xFF) >>> 5;
        if (version != BfcpEncoder.VERSION) {
            // RFC 8855 §5.1: Ver 1 on reliable transports (Ver 2 is for UDP, which we do not run).
            throw new BfcpException(ErrorCode.UNSUPPORTED_VERSION, "version " + version, 0);
        }
        if ((b[0] & 0x08) != 0) {
            throw new BfcpException(ErrorCode.UNABLE_TO_PARSE_MESSAGE, "F (fragmentation) is not used over TCP", 0);
        }
        Primitive p = Primitive.fromValue(b[1] & 0xFF);
        if (p == null) {
            throw new BfcpException(ErrorCode.UNKNOWN_PRIMITIVE, "primitive " + (b[1] & 0xFF), 1);
        }
        int payload = u16(b, 2) * 4;
        if (payload != b.length - BfcpCodec.HEADER_BYTES) {
            throw new BfcpException(ErrorCode.INCORRECT_MESSAGE_LENGTH, "Payload Length " + payload
                    + " octets, " + (b.length - BfcpCodec.HEADER_BYTES) + " present", 2);
        }
        AttributeParser parser = new AttributeParser(b);
        List<RawAttribute> raw = parser.parse(BfcpCodec.HEADER_BYTES, b.length);
        if (!parser.unknownMandatory().isEmpty()) {
            throw new BfcpException(ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE, "unknown mandatory attribute types "
                    + parser.unknownMandatory(), BfcpCodec.HEADER_BYTES, h, parser.unknownMandatory());
        }
        Attributes a = new Attributes(raw, p.rfcName(), BfcpCodec.HEADER_BYTES);
        BfcpMessage m = switch (p) {
            case FLOOR_REQUEST -> new FloorRequest(h, a.u16s(AttributeType.FLOOR_ID, 1),
                    a.optionalU16(AttributeType.BENEFICIARY_ID), a.text(AttributeType.PARTICIPANT_PROVIDED_INFO),
                    a.optional(AttributeType.PRIORITY).map(BfcpDecoder::priority));
            case FLOOR_RELEASE -> new FloorRelease(h, a.one(AttributeType.FLOOR_REQUEST_ID).u16());
            case FLOOR_REQUEST_QUERY -> new FloorRequestQuery(h, a.one(AttributeType.FLOOR_REQUEST_ID).u16());
            case FLOOR_REQUEST_STATUS -> new FloorRequestStatus(h,
                    floorRequestInformation(a.one(AttributeType.FLOOR_REQUEST_INFORMATION)));
            case USER_QUERY -> new UserQuery(h, a.optionalU16(AttributeType.BENEFICIARY_ID));
            case USER_STATUS -> new UserStatus(h,
                    a.optional(AttributeType.BENEFICIARY_INFORMATION).map(BfcpDecoder::beneficiary),
                    floorRequestInformations(a));
            case FLOOR_QUERY -> new FloorQuery(h, a.u16s(AttributeType.FLOOR_ID, 0));
            case FLOOR_STATUS -> new FloorStatus(h, a.optionalU16(AttributeType.FLOOR_ID),
                    floorRequestInformations(a));
            case CHAIR_ACTION -> new ChairAction(h,
                    floorRequestInformation(a.one(AttributeType.FLOOR_REQUEST_INFORMATION)));
            case CHAIR_ACTION_ACK -> new ChairActionAck(h);
            case HELLO -> new Hello(h);
            case HELLO_ACK -> helloAck(h, a);
            case ERROR -> error(h, a);
            case FLOOR_REQUEST_STATUS_ACK -> new FloorRequestStatusAck(h);
            case FLOOR_STATUS_ACK -> new FloorStatusAck(h);
            case GOODBYE -> new Goodbye(h);
            case GOODBYE_ACK -> new GoodbyeAck(h);
        };
        a.done();
        return m;
    }

    private static List<FloorRequestInformation> floorRequestInformations(Attributes a) {
        return a.many(AttributeType.FLOOR_REQUEST_INFORMATION, 0).stream()
                .map(BfcpDecoder::floorRequestInformation).toList();
    }

    private static HelloAck helloAck(CommonHeader h, Attributes a) {
        RawAttribute prims = a.one(AttributeType.SUPPORTED_PRIMITIVES);
        RawAttribute attrs = a.one(AttributeType.SUPPORTED_ATTRIBUTES);
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < prims.contentLength(); i++) {
            p.add(prims.u8(i));
        }
        List<Integer> t = new ArrayList<>();
        for (int i = 0; i < attrs.contentLength(); i++) {
            t.add(attrs.u8(i) >>> 1); // Supp Attr(7) | R(1): R is reserved and ignored
        }
        return new HelloAck(h, p, t);
    }

    private static BfcpError error(CommonHeader h, Attributes a) {
        RawAttribute ec = a.one(AttributeType.ERROR_CODE);
        ErrorCode code = ErrorCode.fromValue(ec.u8(0));
        if (code == null) {
            throw AttributeParser.fail("unknown error code " + ec.u8(0), ec.offset() + 2);
        }
        List<Integer> details = new ArrayList<>();
        for (int i = 1; i < ec.contentLength(); i++) {
            details.add(ec.u8(i));
        }
        if (!details.isEmpty() && code != ErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE) {
            throw AttributeParser.fail("Error Specific Details with error " + code, ec.offset() + 3);
        }
        return new BfcpError(h, code, details, a.text(AttributeType.ERROR_INFO));
    }

    // ---- grouped attributes

    static FloorRequestInformation floorRequestInformation(RawAttribute r) {
        return Attributes.grouped(r, a -> new FloorRequestInformation(r.u16(),
                a.optional(AttributeType.OVERALL_REQUEST_STATUS).map(BfcpDecoder::overall),
                a.many(AttributeType.FLOOR_REQUEST_STATUS, 1).stream().map(BfcpDecoder::floorRequestStatus).toList(),
                a.optional(AttributeType.BENEFICIARY_INFORMATION).map(BfcpDecoder::beneficiary),
                a.optional(AttributeType.REQUESTED_BY_INFORMATION).map(BfcpDecoder::requestedBy),
                a.optional(AttributeType.PRIORITY).map(BfcpDecoder::priority),
                a.text(AttributeType.PARTICIPANT_PROVIDED_INFO)));
    }

    private static OverallRequestStatus overall(RawAttribute r) {
        return Attributes.grouped(r, a -> new OverallRequestStatus(r.u16(), requestStatus(a),
                a.text(AttributeType.STATUS_INFO)));
    }

    private static FloorRequestStatusAttribute floorRequestStatus(RawAttribute r) {
        return Attributes.grouped(r, a -> new FloorRequestStatusAttribute(r.u16(), requestStatus(a),
                a.text(AttributeType.STATUS_INFO)));
    }

    private static BeneficiaryInformation beneficiary(RawAttribute r) {
        return Attributes.grouped(r, a -> new BeneficiaryInformation(r.u16(), a.text(AttributeType.USER_DISPLAY_NAME),
                a.text(AttributeType.USER_URI)));
    }

    private static RequestedByInformation requestedBy(RawAttribute r) {
        return Attributes.grouped(r, a -> new RequestedByInformation(r.u16(), a.text(AttributeType.USER_DISPLAY_NAME),
                a.text(AttributeType.USER_URI)));
    }

    private static Optional<RequestStatus> requestStatus(Attributes a) {
        return a.optional(AttributeType.REQUEST_STATUS).map(r -> {
            RequestState s = RequestState.fromValue(r.u8(0));
            if (s == null) {
                throw AttributeParser.fail("unknown Request Status " + r.u8(0), r.offset() + 2);
            }
            return new RequestStatus(s, r.u8(1));
        });
    }

    private static Priority priority(RawAttribute r) {
        Priority p = Priority.fromValue(r.u8(0) >>> 5);
        if (p == null) {
            throw AttributeParser.fail("reserved priority " + (r.u8(0) >>> 5), r.offset() + 2);
        }
        return p;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }
}
