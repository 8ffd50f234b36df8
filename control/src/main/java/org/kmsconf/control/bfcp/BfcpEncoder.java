package org.kmsconf.control.bfcp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.AttributeType;
import org.kmsconf.control.bfcp.message.BeneficiaryInformation;
import org.kmsconf.control.bfcp.message.BfcpError;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.ChairAction;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.FloorQuery;
import org.kmsconf.control.bfcp.message.FloorRelease;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;
import org.kmsconf.control.bfcp.message.FloorRequestQuery;
import org.kmsconf.control.bfcp.message.FloorRequestStatus;
import org.kmsconf.control.bfcp.message.FloorRequestStatusAttribute;
import org.kmsconf.control.bfcp.message.FloorStatus;
import org.kmsconf.control.bfcp.message.HelloAck;
import org.kmsconf.control.bfcp.message.OverallRequestStatus;
import org.kmsconf.control.bfcp.message.Primitive;
import org.kmsconf.control.bfcp.message.Priority;
import org.kmsconf.control.bfcp.message.RequestStatus;
import org.kmsconf.control.bfcp.message.RequestedByInformation;
import org.kmsconf.control.bfcp.message.UserQuery;
import org.kmsconf.control.bfcp.message.UserStatus;

/**
 * Writes a message: the 12-octet COMMON-HEADER (Ver 1, F 0) and the attributes in the order of the RFC 8855 §5.3
 * ABNF, each padded to a multiple of 4 octets, every one with M = 1 (all are defined by RFC 8855).
 */
final class BfcpEncoder {
    static final int VERSION = 1;
    private static final int MANDATORY = 1;

    private final ByteSink out = new ByteSink();

    private BfcpEncoder() {
    }

    static byte[] encode(BfcpMessage m) {
        BfcpEncoder e = new BfcpEncoder();
        e.header(m.header(), m.primitive());
        e.attributes(m);
        int payload = e.out.size() - BfcpCodec.HEADER_BYTES;
        if (payload / 4 > 0xFFFF) {
            throw new IllegalArgumentException("BFCP payload longer than 65535 words");
        }
        e.out.setU16(2, payload / 4);
        return e.out.toByteArray();
    }

    private void header(CommonHeader h, Primitive p) {
        // Ver(3) R(1) F(1) Res(3) | Primitive | Payload Length (patched) | Conference ID | Transaction ID | User ID
        out.u8(VERSION << 5 | (h.responder() ? 0x10 : 0)).u8(p.value()).u16(0);
        out.u32(h.conferenceId()).u16(h.transactionId()).u16(h.userId());
    }

    private void attributes(BfcpMessage m) {
        if (m instanceof FloorRequest r) {
            r.floorIds().forEach(f -> u16(AttributeType.FLOOR_ID, f));
            r.beneficiaryId().ifPresent(b -> u16(AttributeType.BENEFICIARY_ID, b));
            text(AttributeType.PARTICIPANT_PROVIDED_INFO, r.participantProvidedInfo());
            r.priority().ifPresent(this::priority);
        } else if (m instanceof FloorRelease r) {
            u16(AttributeType.FLOOR_REQUEST_ID, r.floorRequestId());
        } else if (m instanceof FloorRequestQuery q) {
            u16(AttributeType.FLOOR_REQUEST_ID, q.floorRequestId());
        } else if (m instanceof FloorRequestStatus s) {
            floorRequestInformation(s.floorRequestInformation());
        } else if (m instanceof UserQuery q) {
            q.beneficiaryId().ifPresent(b -> u16(AttributeType.BENEFICIARY_ID, b));
        } else if (m instanceof UserStatus s) {
            s.beneficiary().ifPresent(this::beneficiary);
            s.floorRequests().forEach(this::floorRequestInformation);
        } else if (m instanceof FloorQuery q) {
            q.floorIds().forEach(f -> u16(AttributeType.FLOOR_ID, f));
        } else if (m instanceof FloorStatus s) {
            s.floorId().ifPresent(f -> u16(AttributeType.FLOOR_ID, f));
            s.floorRequests().forEach(this::floorRequestInformation);
        } else if (m instanceof ChairAction a) {
            floorRequestInformation(a.floorRequestInformation());
        } else if (m instanceof HelloAck a) {
            octets(AttributeType.SUPPORTED_PRIMITIVES, toBytes(a.supportedPrimitives(), 0));
            // RFC 8855 §5.2.10: each entry is Supp Attr(7) | R(1), R reserved = 0.
            octets(AttributeType.SUPPORTED_ATTRIBUTES, toBytes(a.supportedAttributes(), 1));
        } else if (m instanceof BfcpError e) {
            byte[] c = new byte[1 + e.details().size()];
            c[0] = (byte) e.code().value();
            for (int i = 0; i < e.details().size(); i++) {
                c[i + 1] = (byte) (int) e.details().get(i);
            }
            octets(AttributeType.ERROR_CODE, c);
            text(AttributeType.ERROR_INFO, e.errorInfo());
        }
        // ChairActionAck, Hello, FloorRequestStatusAck, FloorStatusAck, Goodbye, GoodbyeAck: header only.
    }

    private static byte[] toBytes(List<Integer> values, int shift) {
        byte[] b = new byte[values.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (values.get(i) << shift);
        }
        return b;
    }

    private void floorRequestInformation(FloorRequestInformation i) {
        int start = beginGroup(AttributeType.FLOOR_REQUEST_INFORMATION, i.floorRequestId());
        i.overallStatus().ifPresent(this::overall);
        i.floorStatuses().forEach(this::floorRequestStatus);
        i.beneficiary().ifPresent(this::beneficiary);
        i.requestedBy().ifPresent(this::requestedBy);
        i.priority().ifPresent(this::priority);
        text(AttributeType.PARTICIPANT_PROVIDED_INFO, i.participantProvidedInfo());
        endGroup(start);
    }

    private void overall(OverallRequestStatus o) {
        int start = beginGroup(AttributeType.OVERALL_REQUEST_STATUS, o.floorRequestId());
        o.status().ifPresent(this::requestStatus);
        text(AttributeType.STATUS_INFO, o.statusInfo());
        endGroup(start);
    }

    private void floorRequestStatus(FloorRequestStatusAttribute s) {
        int start = beginGroup(AttributeType.FLOOR_REQUEST_STATUS, s.floorId());
        s.status().ifPresent(this::requestStatus);
        text(AttributeType.STATUS_INFO, s.statusInfo());
        endGroup(start);
    }

    private void beneficiary(BeneficiaryInformation b) {
        int start = beginGroup(AttributeType.BENEFICIARY_INFORMATION, b.beneficiaryId());
        text(AttributeType.USER_DISPLAY_NAME, b.displayName());
        text(AttributeType.USER_URI, b.uri());
        endGroup(start);
    }

    private void requestedBy(RequestedByInformation r) {
        int start = beginGroup(AttributeType.REQUESTED_BY_INFORMATION, r.requestedById());
        text(AttributeType.USER_DISPLAY_NAME, r.displayName());
        text(AttributeType.USER_URI, r.uri());
        endGroup(start);
    }

    private void requestStatus(RequestStatus s) {
        out.u8(AttributeType.REQUEST_STATUS.value() << 1 | MANDATORY).u8(4).u8(s.state().value())
                .u8(s.queuePosition());
    }

    private void priority(Priority p) {
        // RFC 8855 §5.2.4: Prio(3) | Reserved(13)
        out.u8(AttributeType.PRIORITY.value() << 1 | MANDATORY).u8(4).u8(p.value() << 5).u8(0);
    }

    private void u16(AttributeType t, int v) {
        out.u8(t.value() << 1 | MANDATORY).u8(4).u16(v);
    }

    private void text(AttributeType t, Optional<String> s) {
        s.ifPresent(v -> octets(t, v.getBytes(StandardCharsets.UTF_8)));
    }

    private void octets(AttributeType t, byte[] content) {
        int start = out.size();
        int len = 2 + content.length;
        if (len > 0xFF) {
            throw new IllegalArgumentException(t + " longer than 255 octets");
        }
        out.u8(t.value() << 1 | MANDATORY).u8(len).bytes(content).padFrom(start);
    }

    private int beginGroup(AttributeType t, int headerValue) {
        int start = out.size();
        out.u8(t.value() << 1 | MANDATORY).u8(0).u16(headerValue);
        return start;
    }

    /** RFC 8855 §5.2: a grouped attribute's Length covers its header and the included attributes with padding. */
    private void endGroup(int start) {
        int len = out.size() - start;
        if (len > 0xFF) {
            throw new IllegalArgumentException("grouped attribute longer than 255 octets");
        }
        out.setU8(start + 1, len);
    }
}
