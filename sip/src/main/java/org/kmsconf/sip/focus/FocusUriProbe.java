package org.kmsconf.sip.focus;

import java.time.Duration;
import java.util.List;
import org.kmsconf.sip.SipStatus;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conference server and the KMS must agree on which focus URIs the factory may create (TR 33.829 5.3.3.3.1:
 * the KMS holds that rule or list). At start, the server asks the KMS, through the real exchanges, whether it may
 * act as the focus URIs it will allocate: a ticket from the factory naming a sample focus URI (REQUEST), and a
 * RESOLVE as that URI. If the KMS refuses either, the server does not start and says which configuration to align:
 * a mismatch would otherwise show only as refused creations.
 */
final class FocusUriProbe {
    private static final Logger LOG = LoggerFactory.getLogger(FocusUriProbe.class);

    private FocusUriProbe() { }

    /**
     * Checks every sample; while the KMS cannot be reached (it may be starting beside this server), tries again for
     * up to {@code waitForKms}.
     */
    static void check(String factoryUri, List<String> samples, KeyAgent agent, Duration waitForKms) {
        long deadline = System.nanoTime() + waitForKms.toNanos();
        boolean told = false;
        for (String focus : samples) {
            while (true) {
                try {
                    probe(factoryUri, focus, agent);
                    break;
                } catch (KeyManagementException e) {
                    if (e.reason() != KeyManagementException.Reason.KMS_UNAVAILABLE) {
                        throw new IllegalStateException("the KMS does not let " + factoryUri + " act as focus URI "
                                + focus + " (" + SipStatus.describe(e) + "): the focus rule or list of this conference"
                                + " server must be the one the KMS holds for the factory (kmsconf conference-system"
                                + " add-factory)", e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cannot reach the KMS to check the focus URIs of "
                                + factoryUri + " (" + SipStatus.describe(e) + ")", e);
                    }
                    if (!told) {
                        LOG.info("the KMS does not answer yet; waiting up to {} s for it", waitForKms.toSeconds());
                        told = true;
                    }
                    LOG.debug("KMS not reachable: {}", e.getMessage());
                    sleep();
                }
            }
        }
    }

    private static void probe(String factoryUri, String focus, KeyAgent agent) throws KeyManagementException {
        Ticket ticket = agent.requestTicket(factoryUri, List.of(focus));
        try {
            TransferOffer offer = agent.offer(ticket, focus, Ssrcs.UNASSIGNED);
            IncomingTransfer in = agent.receive(offer.message());
            in.resolve(focus).discard();
        } finally {
            ticket.destroy();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the KMS", e);
        }
    }
}
