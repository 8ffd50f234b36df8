package org.kmsconf.sip;

/** A REFER received by a user agent (flow 5), after the referrer was authenticated: who asks us to join what. */
public record Referral(String referrer, String focusUri) { }
