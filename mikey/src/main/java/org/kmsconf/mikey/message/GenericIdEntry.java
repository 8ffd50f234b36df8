package org.kmsconf.mikey.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.kmsconf.mikey.payload.Bytes;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.WireWriter;

/**
 * One crypto session of a GENERIC-ID map (RFC 6043 §6.1.1):
 * {@code CS ID(8) | Prot type(8) | S(1) #P(7) | Policy_no x #P | Session Data Length(16) | Session Data |
 * SPI Length(8) | SPI}. SRTP Session Data = {@code SSRC(32) [ROC(32) SEQ(16)]}, ROC and SEQ present iff S = 1.
 * Session Data and SPI may be empty in an initial message; a response fills them and names exactly one policy.
 */
public record GenericIdEntry(int csId, int protType, boolean sFlag, List<Integer> policyNos, byte[] sessionData,
        byte[] spi) {

    /** {@link ProtType#SRTP}'s wire value. */
    public static final int PROT_SRTP = 0;

    public GenericIdEntry {
        if (csId < 0 || csId > 0xff || protType < 0 || protType > 0xff) {
            throw new IllegalArgumentException("CS ID / prot type out of range");
        }
        policyNos = List.copyOf(policyNos);
        if (policyNos.size() > 0x7f) {
            throw new IllegalArgumentException("more than 127 policies");
        }
        for (int p : policyNos) {
            if (p < 0 || p > 0xff) {
                throw new IllegalArgumentException("policy no out of range");
            }
        }
        sessionData = sessionData.clone();
        spi = spi.clone();
        if (sessionData.length > 0xffff || spi.length > 0xff) {
            throw new IllegalArgumentException("session data or SPI too long");
        }
        if (protType == PROT_SRTP && sessionData.length != 0 && sessionData.length != (sFlag ? 10 : 4)) {
            throw new IllegalArgumentException("SRTP session data must be 4 bytes (S=0) or 10 bytes (S=1)");
        }
        if (protType != PROT_SRTP && ProtType.fromValue(protType) != null && (sFlag || sessionData.length != 0)) {
            throw new IllegalArgumentException("crypto sessions of prot type " + protType + " carry no session data");
        }
    }

    /**
     * A crypto session of one of our private-use protocols (docs/profile.md §6, kmsconf extension): S = 0, the given
     * policies, no session data, no SPI yet.
     */
    public static GenericIdEntry withoutSessionData(int csId, ProtType prot, List<Integer> policyNos) {
        return new GenericIdEntry(csId, prot.value(), false, policyNos, new byte[0], new byte[0]);
    }

    /** An SRTP crypto session offering one policy with a known SSRC (S = 0) and no SPI yet. */
    public static GenericIdEntry srtp(int csId, int policyNo, Ssrc ssrc) {
        return new GenericIdEntry(csId, PROT_SRTP, false, List.of(policyNo), ssrcBytes(ssrc), new byte[0]);
    }

    /** An SRTP crypto session whose session data the Responder (or a conference focus) is to fill in. */
    public static GenericIdEntry srtpWithoutSessionData(int csId, List<Integer> policyNos) {
        return new GenericIdEntry(csId, PROT_SRTP, false, policyNos, new byte[0], new byte[0]);
    }

    /** The same session with SRTP session data {@code SSRC} only (S = 0). */
    public GenericIdEntry withSsrc(Ssrc ssrc) {
        return new GenericIdEntry(csId, protType, false, policyNos, ssrcBytes(ssrc), spi);
    }

    /** The same session with SRTP session data {@code SSRC ROC SEQ} (S = 1). */
    public GenericIdEntry withSsrcRocSeq(Ssrc ssrc, int roc, int seq) {
        byte[] d = new WireWriter().u32(ssrc.bits()).u32(roc).u16(seq).toByteArray();
        return new GenericIdEntry(csId, protType, true, policyNos, d, spi);
    }

    public GenericIdEntry withSpi(byte[] newSpi) {
        return new GenericIdEntry(csId, protType, sFlag, policyNos, sessionData, newSpi);
    }

    public GenericIdEntry withPolicy(int policyNo) {
        return new GenericIdEntry(csId, protType, sFlag, List.of(policyNo), sessionData, spi);
    }

    private static byte[] ssrcBytes(Ssrc ssrc) {
        return new WireWriter().u32(ssrc.bits()).toByteArray();
    }

    @Override
    public byte[] sessionData() {
        return sessionData.clone();
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    public boolean isSrtp() {
        return protType == PROT_SRTP;
    }

    /** The SRTP SSRC, if the session data is present. */
    public Optional<Ssrc> ssrc() {
        return isSrtp() && sessionData.length >= 4 ? Optional.of(Ssrc.of(int32(0))) : Optional.empty();
    }

    /** The SRTP ROC, present iff S = 1 and session data is given. */
    public OptionalInt roc() {
        return isSrtp() && sessionData.length == 10 ? OptionalInt.of(int32(4)) : OptionalInt.empty();
    }

    /** The SRTP SEQ, present iff S = 1 and session data is given. */
    public OptionalInt seq() {
        return isSrtp() && sessionData.length == 10
                ? OptionalInt.of(((sessionData[8] & 0xff) << 8) | (sessionData[9] & 0xff)) : OptionalInt.empty();
    }

    private int int32(int off) {
        return ((sessionData[off] & 0xff) << 24) | ((sessionData[off + 1] & 0xff) << 16)
                | ((sessionData[off + 2] & 0xff) << 8) | (sessionData[off + 3] & 0xff);
    }

    void encode(WireWriter w) {
        w.u8(csId).u8(protType).u8((sFlag ? 0x80 : 0) | policyNos.size());
        for (int p : policyNos) {
            w.u8(p);
        }
        w.lenBytes16(sessionData).lenBytes8(spi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericIdEntry x && csId == x.csId && protType == x.protType && sFlag == x.sFlag
                && policyNos.equals(x.policyNos) && Arrays.equals(sessionData, x.sessionData)
                && Arrays.equals(spi, x.spi);
    }

    @Override
    public int hashCode() {
        return Objects.hash(csId, protType, sFlag, policyNos, Arrays.hashCode(sessionData), Arrays.hashCode(spi));
    }

    @Override
    public String toString() {
        return "{CS " + csId + ", prot " + protType + ", S " + (sFlag ? 1 : 0) + ", policies " + policyNos
                + ", session data " + Bytes.hex(sessionData) + ", SPI " + Bytes.hex(spi) + "}";
    }
}
