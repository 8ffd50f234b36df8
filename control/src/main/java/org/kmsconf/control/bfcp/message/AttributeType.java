package org.kmsconf.control.bfcp.message;

/** BFCP attribute types and their formats (RFC 8855 §5.2, Table 2). */
public enum AttributeType {
    BENEFICIARY_ID(1, "BENEFICIARY-ID", Format.UNSIGNED16),
    FLOOR_ID(2, "FLOOR-ID", Format.UNSIGNED16),
    FLOOR_REQUEST_ID(3, "FLOOR-REQUEST-ID", Format.UNSIGNED16),
    PRIORITY(4, "PRIORITY", Format.OCTET_STRING16),
    REQUEST_STATUS(5, "REQUEST-STATUS", Format.OCTET_STRING16),
    ERROR_CODE(6, "ERROR-CODE", Format.OCTET_STRING),
    ERROR_INFO(7, "ERROR-INFO", Format.OCTET_STRING),
    PARTICIPANT_PROVIDED_INFO(8, "PARTICIPANT-PROVIDED-INFO", Format.OCTET_STRING),
    STATUS_INFO(9, "STATUS-INFO", Format.OCTET_STRING),
    SUPPORTED_ATTRIBUTES(10, "SUPPORTED-ATTRIBUTES", Format.OCTET_STRING),
    SUPPORTED_PRIMITIVES(11, "SUPPORTED-PRIMITIVES", Format.OCTET_STRING),
    USER_DISPLAY_NAME(12, "USER-DISPLAY-NAME", Format.OCTET_STRING),
    USER_URI(13, "USER-URI", Format.OCTET_STRING),
    BENEFICIARY_INFORMATION(14, "BENEFICIARY-INFORMATION", Format.GROUPED),
    FLOOR_REQUEST_INFORMATION(15, "FLOOR-REQUEST-INFORMATION", Format.GROUPED),
    REQUESTED_BY_INFORMATION(16, "REQUESTED-BY-INFORMATION", Format.GROUPED),
    FLOOR_REQUEST_STATUS(17, "FLOOR-REQUEST-STATUS", Format.GROUPED),
    OVERALL_REQUEST_STATUS(18, "OVERALL-REQUEST-STATUS", Format.GROUPED);

    /**
     * RFC 8855 §5.2: Unsigned16 and OctetString16 carry exactly two octets (Length 4); OctetString any number; a
     * grouped attribute a 16-bit header value followed by attributes, its Length covering them with their padding.
     */
    public enum Format { UNSIGNED16, OCTET_STRING16, OCTET_STRING, GROUPED }

    private final int value;
    private final String rfcName;
    private final Format format;

    AttributeType(int value, String rfcName, Format format) {
        this.value = value;
        this.rfcName = rfcName;
        this.format = format;
    }

    /** The 7-bit wire value. */
    public int value() {
        return value;
    }

    public String rfcName() {
        return rfcName;
    }

    public Format format() {
        return format;
    }

    /** The attribute type with this wire value, or null. */
    public static AttributeType fromValue(int value) {
        for (AttributeType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return rfcName + "(" + value + ")";
    }
}
