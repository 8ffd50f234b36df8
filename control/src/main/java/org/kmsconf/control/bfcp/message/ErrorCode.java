package org.kmsconf.control.bfcp.message;

/** BFCP error codes (RFC 8855 §5.2.6, Table 5). */
public enum ErrorCode {
    CONFERENCE_DOES_NOT_EXIST(1, "Conference does not Exist"),
    USER_DOES_NOT_EXIST(2, "User does not Exist"),
    UNKNOWN_PRIMITIVE(3, "Unknown Primitive"),
    /** Error Specific Details: the unknown attribute types, one octet each (type << 1, reserved bit 0). */
    UNKNOWN_MANDATORY_ATTRIBUTE(4, "Unknown Mandatory Attribute"),
    UNAUTHORIZED_OPERATION(5, "Unauthorized Operation"),
    INVALID_FLOOR_ID(6, "Invalid Floor ID"),
    FLOOR_REQUEST_ID_DOES_NOT_EXIST(7, "Floor Request ID Does Not Exist"),
    MAXIMUM_FLOOR_REQUESTS_REACHED(8,
            "You have Already Reached the Maximum Number of Ongoing Floor Requests for this Floor"),
    USE_TLS(9, "Use TLS"),
    UNABLE_TO_PARSE_MESSAGE(10, "Unable to Parse Message"),
    USE_DTLS(11, "Use DTLS"),
    UNSUPPORTED_VERSION(12, "Unsupported Version"),
    INCORRECT_MESSAGE_LENGTH(13, "Incorrect Message Length"),
    GENERIC_ERROR(14, "Generic Error");

    private final int value;
    private final String text;

    ErrorCode(int value, String text) {
        this.value = value;
        this.text = text;
    }

    public int value() {
        return value;
    }

    /** The RFC's description. */
    public String text() {
        return text;
    }

    /** The code with this wire value, or null. */
    public static ErrorCode fromValue(int value) {
        for (ErrorCode c : values()) {
            if (c.value == value) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return value + " " + text;
    }
}
