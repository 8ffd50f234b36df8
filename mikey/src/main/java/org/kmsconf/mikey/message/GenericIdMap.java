package org.kmsconf.mikey.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

/** GENERIC-ID map (RFC 6043 §6.1.1, map type 2): one {@link GenericIdEntry} per crypto session. */
public record GenericIdMap(List<GenericIdEntry> entries) implements CsIdMap {

    public GenericIdMap {
        entries = List.copyOf(entries);
        if (entries.size() > 0xff) {
            throw new IllegalArgumentException("more than 255 crypto sessions");
        }
    }

    @Override
    public int mapType() {
        return GENERIC_ID;
    }

    @Override
    public int csCount() {
        return entries.size();
    }

    /** The entry with a given CS ID. */
    public Optional<GenericIdEntry> entry(int csId) {
        return entries.stream().filter(e -> e.csId() == csId).findFirst();
    }

    @Override
    public void encodeInfo(WireWriter w) {
        for (GenericIdEntry e : entries) {
            e.encode(w);
        }
    }

    static GenericIdMap decode(WireReader r, int csCount) {
        List<GenericIdEntry> list = new ArrayList<>(csCount);
        for (int i = 0; i < csCount; i++) {
            int csId = r.u8("CS ID");
            int protAt = r.offset();
            int prot = r.u8("Prot type");
            ProtType known = ProtType.fromValue(prot);
            if (known == null) {
                throw new MikeyException(ErrorCode.INVALID_SP, "unknown security protocol " + prot, protAt);
            }
            int sp = r.u8("S/#P");
            int n = sp & 0x7f;
            List<Integer> policies = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                policies.add(r.u8("Policy_no"));
            }
            int sdAt = r.offset();
            byte[] sessionData = r.bytes(r.u16("Session Data Length"), "Session Data");
            boolean s = (sp & 0x80) != 0;
            if (known != ProtType.SRTP && (s || sessionData.length != 0)) {
                // docs/profile.md §6, kmsconf extension: our private-use crypto sessions carry no session data.
                throw new MikeyException(ErrorCode.UNSPECIFIED, known + " crypto session with S or session data", sdAt);
            }
            if (known == ProtType.SRTP && sessionData.length != 0 && sessionData.length != (s ? 10 : 4)) {
                throw new MikeyException(ErrorCode.UNSPECIFIED,
                        "SRTP session data of " + sessionData.length + " bytes with S=" + (s ? 1 : 0), sdAt);
            }
            byte[] spi = r.bytes(r.u8("SPI Length"), "SPI");
            list.add(new GenericIdEntry(csId, prot, s, policies, sessionData, spi));
        }
        return new GenericIdMap(list);
    }
}
