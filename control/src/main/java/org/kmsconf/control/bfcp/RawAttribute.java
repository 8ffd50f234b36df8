package org.kmsconf.control.bfcp;

import java.util.List;
import org.kmsconf.control.bfcp.message.AttributeType;

/**
 * One attribute as read from the wire, before it is turned into a typed field: its type, where it starts, its
 * content (after the 2-octet header, without padding) and, for a grouped attribute, the 16-bit header value and the
 * included attributes.
 */
record RawAttribute(AttributeType type, int offset, byte[] message, int contentFrom, int contentTo,
        List<RawAttribute> children) {

    int contentLength() {
        return contentTo - contentFrom;
    }

    int u8(int at) {
        return message[contentFrom + at] & 0xFF;
    }

    int u16() {
        return (u8(0) << 8) | u8(1);
    }
}
