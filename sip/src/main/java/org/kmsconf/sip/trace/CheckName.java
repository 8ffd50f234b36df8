package org.kmsconf.sip.trace;

/**
 * The name of a check a party reports in a {@link FlowEvent.Check}: a rule of the conference model
 * ({@code org.kmsconf.sip.conference.Rule}) or a check of the signalling and key-management steps
 * ({@link SignallingCheck}). {@link #label()} is the stable kebab-case name shown in traces and logs.
 */
public interface CheckName {
    String label();
}
