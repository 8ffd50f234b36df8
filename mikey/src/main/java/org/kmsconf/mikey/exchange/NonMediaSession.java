package org.kmsconf.mikey.exchange;

import org.kmsconf.mikey.payload.ProtType;

/**
 * The crypto sessions of a conference leg that key no media (docs/profile.md §6, "kmsconf extension: keys for the event
 * package and floor control"; this project's own extension, not 3GPP). Each sits in the leg's GENERIC-ID map next to
 * the SRTP sessions, with its private-use Prot type, one SP payload of that Prot type with zero-length parameters,
 * empty session data and the TGK's SPI. Its key K(cs) is the RFC 6043 TEK of its CS ID derived from the leg's forked
 * TGK', as long as the TGK.
 */
public enum NonMediaSession {
    /** CS 0xB0, Prot type 241: the external PSK of BFCP over TLS (offered when the leg has a TCP/TLS/BFCP m-line). */
    BFCP_TLS_PSK(0xB0, ProtType.KMSCONF_TLS_PSK),
    /** CS 0xE0, Prot type 242: the KEK of the conference event package's CMS bodies (always on a leg to a focus). */
    EVENT_PACKAGE_KEK(0xE0, ProtType.KMSCONF_CMS_KEK);

    private final int csId;
    private final ProtType protType;

    NonMediaSession(int csId, ProtType protType) {
        this.csId = csId;
        this.protType = protType;
    }

    /** The CS ID in the GENERIC-ID map (and in the TEK label). */
    public int csId() {
        return csId;
    }

    public ProtType protType() {
        return protType;
    }

    /**
     * The Policy_no of the SP payload we send for this session. Equal to the CS ID, so that it never collides with the
     * SRTP policies, which are numbered from 0.
     */
    public int policyNo() {
        return csId;
    }

    /** The session with this CS ID, or null for every other CS ID. */
    public static NonMediaSession ofCsId(int csId) {
        for (NonMediaSession s : values()) {
            if (s.csId == csId) {
                return s;
            }
        }
        return null;
    }
}
