package org.kmsconf.control.bfcp.message;

import java.util.Objects;

/** Hello (RFC 8855 §5.3.11): a client checks that the floor control server is alive and what it supports. */
public record Hello(CommonHeader header) implements BfcpMessage {
    public Hello {
        Objects.requireNonNull(header, "header");
    }

    @Override
    public Primitive primitive() {
        return Primitive.HELLO;
    }
}
