package org.kmsconf.control.floor;

/**
 * How the floor control server treats requests. {@code chairDecides}: while the conference has a chair (its owner),
 * a participant's request waits as Pending until the chair accepts, grants or denies it (a moderated conference);
 * otherwise, and for the chair's own requests, a request is Accepted into the floor's queue and granted as soon as
 * the floor is free. One holder per floor; a participant has at most one open request per floor (RFC 8855
 * error 8 for a second one).
 */
public record FloorPolicy(boolean chairDecides) {
    /** Moderated: the chair decides. */
    public static FloorPolicy moderated() {
        return new FloorPolicy(true);
    }

    /** First come, first served: the queue decides, the chair may still grant, deny and revoke. */
    public static FloorPolicy firstComeFirstServed() {
        return new FloorPolicy(false);
    }
}
