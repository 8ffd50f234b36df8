package org.kmsconf.sip.trace;

/**
 * Receives the structured events of the key-management flows (what the demo prints, what tests assert).
 * Events never carry key material; {@link KeyLogListener} is the separate, opt-in path for that.
 *
 * <p>Called on SIP stack or executor threads: implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface FlowListener {
    void onEvent(FlowEvent event);

    FlowListener NONE = event -> { };
}
