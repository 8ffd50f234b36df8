package org.kmsconf.control.tls;

import java.util.Optional;

/**
 * How the BFCP TLS server finds a leg by the psk_identity a client sends (the focus maps identity -> leg). An
 * unknown identity ends the handshake.
 */
@FunctionalInterface
public interface BfcpLegDirectory {
    Optional<BfcpLeg> lookup(PskIdentity identity);
}
