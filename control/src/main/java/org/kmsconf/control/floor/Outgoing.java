package org.kmsconf.control.floor;

import java.util.Objects;
import org.kmsconf.control.bfcp.message.BfcpMessage;

/** A message the floor control server sends to one participant (its User ID is in the message header too). */
public record Outgoing(int userId, BfcpMessage message) {
    public Outgoing {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "to " + userId + ": " + message.primitive() + " " + message.header();
    }
}
