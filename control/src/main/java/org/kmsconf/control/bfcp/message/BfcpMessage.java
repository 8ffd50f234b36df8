package org.kmsconf.control.bfcp.message;


/**
 * A BFCP message (RFC 8855 §5.3): a common header and the attributes its primitive allows, as typed fields. One
 * record per primitive; the codec ({@code org.kmsconf.control.bfcp.BfcpCodec}) maps them to and from bytes.
 */
public sealed interface BfcpMessage permits FloorRequest, FloorRelease, FloorRequestQuery, FloorRequestStatus,
        UserQuery, UserStatus, FloorQuery, FloorStatus, ChairAction, ChairActionAck, Hello, HelloAck, BfcpError,
        FloorRequestStatusAck, FloorStatusAck, Goodbye, GoodbyeAck {

    CommonHeader header();

    Primitive primitive();
}
