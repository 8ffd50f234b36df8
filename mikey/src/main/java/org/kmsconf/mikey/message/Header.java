package org.kmsconf.mikey.message;

import java.util.Objects;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.payload.Codes;
import org.kmsconf.mikey.payload.WireReader;
import org.kmsconf.mikey.payload.WireWriter;

/**
 * Common header HDR (RFC 3830 §6.1, RFC 6043 §6.1):
 * {@code version(8) | data type(8) | next payload(8) | V(1) PRF func(7) | CSB ID(32) | #CS(8) | CS ID map type(8) |
 * CS ID map info}. The next payload byte is written by the codec; #CS and the map type come from {@link #csIdMap()}.
 */
public record Header(int version, DataType dataType, boolean vFlag, PrfFunc prfFunc, int csbId, CsIdMap csIdMap) {

    /** The only MIKEY version. */
    public static final int VERSION = 1;

    public Header {
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(prfFunc, "prfFunc");
        Objects.requireNonNull(csIdMap, "csIdMap");
        if (version != VERSION) {
            throw new IllegalArgumentException("MIKEY version must be 1");
        }
    }

    public Header(DataType dataType, boolean vFlag, PrfFunc prfFunc, int csbId, CsIdMap csIdMap) {
        this(VERSION, dataType, vFlag, prfFunc, csbId, csIdMap);
    }

    public Header withDataType(DataType t) {
        return new Header(version, t, vFlag, prfFunc, csbId, csIdMap);
    }

    public Header withVFlag(boolean v) {
        return new Header(version, dataType, v, prfFunc, csbId, csIdMap);
    }

    public Header withCsIdMap(CsIdMap map) {
        return new Header(version, dataType, vFlag, prfFunc, csbId, map);
    }

    void encode(WireWriter w, int nextPayload) {
        w.u8(version).u8(dataType.value()).u8(nextPayload).u8((vFlag ? 0x80 : 0) | prfFunc.value());
        w.u32(csbId).u8(csIdMap.csCount()).u8(csIdMap.mapType());
        csIdMap.encodeInfo(w);
    }

    /** Reads the header; returns it with the next payload type in {@code nextOut[0]}. */
    static Header decode(WireReader r, int[] nextOut) {
        int at = r.offset();
        int version = r.u8("version");
        if (version != VERSION) {
            throw new MikeyException(ErrorCode.UNSPECIFIED, "unsupported MIKEY version " + version, at);
        }
        int dtAt = r.offset();
        DataType dt = DataType.fromValue(r.u8("data type"), dtAt);
        nextOut[0] = r.u8("next payload");
        int prfAt = r.offset();
        int vp = r.u8("V/PRF func");
        PrfFunc prf = Codes.prfFunc(vp & 0x7f, prfAt);
        int csbId = r.u32("CSB ID");
        int csCount = r.u8("#CS");
        int mapAt = r.offset();
        int mapType = r.u8("CS ID map type");
        CsIdMap map = switch (mapType) {
            case CsIdMap.SRTP_ID -> SrtpIdMap.decode(r, csCount);
            case CsIdMap.EMPTY -> new EmptyMap(csCount);
            case CsIdMap.GENERIC_ID -> GenericIdMap.decode(r, csCount);
            default -> throw new MikeyException(ErrorCode.UNSPECIFIED, "unknown CS ID map type " + mapType, mapAt);
        };
        return new Header(version, dt, (vp & 0x80) != 0, prf, csbId, map);
    }

    @Override
    public String toString() {
        return "HDR[" + dataType + ", V=" + (vFlag ? 1 : 0) + ", " + prfFunc + ", CSB "
                + String.format("%08x", csbId) + ", " + csIdMap + "]";
    }
}
