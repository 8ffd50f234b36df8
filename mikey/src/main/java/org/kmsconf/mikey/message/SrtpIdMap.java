package org.kmsconf.mikey.message;

import java.util.List;
import java.util.Objects;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

/**
 * SRTP-ID map (RFC 3830 §6.1.1, map type 0): per crypto session {@code Policy_no(8) | SSRC(32) | ROC(32)}; the
 * i-th entry is crypto session i (1-based). SSRC 0 means "not chosen yet".
 */
public record SrtpIdMap(List<Entry> entries) implements CsIdMap {

    /** One crypto session of an SRTP-ID map. */
    public record Entry(int policyNo, Ssrc ssrc, int roc) {
        public Entry {
            if (policyNo < 0 || policyNo > 0xff) {
                throw new IllegalArgumentException("policy no out of range");
            }
            Objects.requireNonNull(ssrc, "ssrc");
        }

        @Override
        public String toString() {
            return "{policy " + policyNo + ", SSRC " + ssrc + ", ROC " + Integer.toUnsignedString(roc)
                    + "}";
        }
    }

    public SrtpIdMap {
        entries = List.copyOf(entries);
        if (entries.size() > 0xff) {
            throw new IllegalArgumentException("more than 255 crypto sessions");
        }
    }

    @Override
    public int mapType() {
        return SRTP_ID;
    }

    @Override
    public int csCount() {
        return entries.size();
    }

    @Override
    public void encodeInfo(WireWriter w) {
        for (Entry e : entries) {
            w.u8(e.policyNo()).u32(e.ssrc().bits()).u32(e.roc());
        }
    }

    static SrtpIdMap decode(WireReader r, int csCount) {
        Entry[] e = new Entry[csCount];
        for (int i = 0; i < csCount; i++) {
            e[i] = new Entry(r.u8("SRTP-ID policy no"), Ssrc.of(r.u32("SRTP-ID SSRC")), r.u32("SRTP-ID ROC"));
        }
        return new SrtpIdMap(List.of(e));
    }
}
