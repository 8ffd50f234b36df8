package org.kmsconf.mikey.print;

import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.payload.PayloadType;
import org.kmsconf.mikey.payload.ProtType;
import org.kmsconf.mikey.payload.SrtpParam;
import org.kmsconf.mikey.payload.TsType;

/** The names of MIKEY code points as the RFCs (and Wireshark) write them. Unknown values print as "unknown". */
final class Names {
    private Names() {
    }

    static Code prf(PrfFunc f) {
        return new Code(f == PrfFunc.MIKEY_1 ? "MIKEY-1" : "PRF-HMAC-SHA-256", f.value());
    }

    static Code encr(EncrAlg a) {
        return new Code(switch (a) {
            case NULL -> "NULL";
            case AES_CM_128 -> "AES-CM-128";
            case AES_KW_128 -> "AES-KW-128";
            case AES_CM_256 -> "AES-CM-256";
        }, a.value());
    }

    static Code mac(MacAlg a) {
        return new Code(switch (a) {
            case NULL -> "NULL";
            case HMAC_SHA_1_160 -> "HMAC-SHA-1-160";
            case HMAC_SHA_256_256 -> "HMAC-SHA-256-256";
        }, a.value());
    }

    static Code ts(TsType t) {
        return new Code(switch (t) {
            case NTP_UTC -> "NTP-UTC";
            case NTP -> "NTP";
            case COUNTER -> "COUNTER";
            case NTP_UTC_32 -> "NTP-UTC-32";
        }, t.value());
    }

    static Code error(ErrorCode e) {
        return new Code(switch (e) {
            case AUTH_FAILURE -> "Authentication failure";
            case INVALID_TS -> "Invalid timestamp";
            case INVALID_PRF -> "PRF function not supported";
            case INVALID_MAC -> "MAC algorithm not supported";
            case INVALID_EA -> "Encryption algorithm not supported";
            case INVALID_HA -> "Hash function not supported";
            case INVALID_DH -> "DH group not supported";
            case INVALID_ID -> "ID not supported";
            case INVALID_CERT -> "Certificate not supported";
            case INVALID_SP -> "SP type not supported";
            case INVALID_SPPAR -> "SP parameters not supported";
            case INVALID_DT -> "Data type not supported";
            case UNSPECIFIED -> "Unspecified error";
            case UNSUPPORTED_MESSAGE_TYPE -> "Unsupported message type";
            case INVALID_TICKET -> "Invalid TICKET (Ticket Type not supported)";
            case INVALID_TPPAR -> "Invalid TPpar (TP parameters not supported)";
        }, e.value());
    }

    /** Heading of a payload: its long name and the short RFC name. */
    static String payloadTitle(PayloadType t) {
        return switch (t) {
            case KEMAC -> "Key data transport (KEMAC)";
            case PKE -> "Envelope data (PKE)";
            case DH -> "DH data (DH)";
            case SIGN -> "Signature (SIGN)";
            case T -> "Timestamp (T)";
            case ID -> "ID";
            case CERT -> "Certificate (CERT)";
            case CHASH -> "Cert hash (CHASH)";
            case V -> "Verification (V)";
            case SP -> "Security policy (SP)";
            case RAND -> "RAND";
            case ERR -> "Error (ERR)";
            case TR -> "Timestamp with role (TR)";
            case IDR -> "ID with role (IDR)";
            case RANDR -> "RAND with role (RANDR)";
            case TP -> "Ticket policy (TP)";
            case TICKET -> "Ticket (TICKET)";
            case GENERAL_EXTENSION -> "General extension";
        };
    }

    /** Short name used for Next payload fields and JSON kinds. */
    static String payloadShort(PayloadType t) {
        return t == PayloadType.GENERAL_EXTENSION ? "GENERAL_EXT" : t.name();
    }

    static Code idType(int v) {
        return new Code(switch (v) {
            case 0 -> "NAI";
            case 1 -> "URI";
            case 2 -> "Byte string";
            default -> "unknown";
        }, v);
    }

    static Code certType(int v) {
        return new Code(switch (v) {
            case 0 -> "X.509v3";
            case 1 -> "X.509v3 URL";
            case 2 -> "X.509v3 Sign";
            case 3 -> "X.509v3 Encr";
            default -> "unknown";
        }, v);
    }

    static Code hashFunc(int v) {
        return new Code(switch (v) {
            case 0 -> "SHA-1";
            case 1 -> "MD5";
            case 2 -> "SHA-256";
            default -> "unknown";
        }, v);
    }

    static Code pkeCache(int v) {
        return new Code(switch (v) {
            case 0 -> "No cache";
            case 1 -> "Cache";
            case 2 -> "Cache for CSB";
            default -> "unknown";
        }, v);
    }

    static Code signType(int v) {
        return new Code(switch (v) {
            case 0 -> "RSA/PKCS#1/1.5";
            case 1 -> "RSA/PSS";
            case 2 -> "ECCSI";
            default -> "unknown";
        }, v);
    }

    static Code dhGroup(int v) {
        return new Code(switch (v) {
            case 0 -> "OAKLEY 5 (1536 bit)";
            case 1 -> "OAKLEY 1 (768 bit)";
            case 2 -> "OAKLEY 2 (1024 bit)";
            default -> "unknown";
        }, v);
    }

    static Code extType(int v) {
        return new Code(switch (v) {
            case 0 -> "Vendor ID";
            case 1 -> "SDP IDs";
            case 3 -> "Key ID";
            case 5 -> "OMA BCAST";
            default -> "unknown";
        }, v);
    }

    static Code protType(int v) {
        ProtType p = ProtType.fromValue(v);
        return new Code(p == null ? "unknown" : p.name(), v);
    }

    static Code mapType(int v) {
        return new Code(switch (v) {
            case 0 -> "SRTP-ID";
            case 1 -> "Empty map";
            case 2 -> "GENERIC-ID";
            default -> "unknown";
        }, v);
    }

    static Code ticketType(int v) {
        return new Code(switch (v) {
            case 1 -> "MIKEY base ticket";
            case 2 -> "3GPP base ticket";
            default -> v >= 61440 && v <= 65534 ? "private" : "unknown";
        }, v);
    }

    static Code kvType(int v) {
        return new Code(switch (v) {
            case 0 -> "Null";
            case 1 -> "SPI/MKI";
            case 2 -> "Interval";
            default -> "unknown";
        }, v);
    }

    /** SRTP policy parameter names as RFC 3830 Table 6.10.1.a writes them. */
    static String srtpParam(SrtpParam p) {
        return switch (p) {
            case ENCRYPTION_ALGORITHM -> "Encryption algorithm";
            case SESSION_ENCR_KEY_LENGTH -> "Session Encr. key length";
            case AUTHENTICATION_ALGORITHM -> "Authentication algorithm";
            case SESSION_AUTH_KEY_LENGTH -> "Session Auth. key length";
            case SESSION_SALT_KEY_LENGTH -> "Session Salt key length";
            case SRTP_PSEUDO_RANDOM_FUNCTION -> "SRTP Pseudo Random Function";
            case KEY_DERIVATION_RATE -> "Key derivation rate";
            case SRTP_ENCRYPTION -> "SRTP encryption";
            case SRTCP_ENCRYPTION -> "SRTCP encryption";
            case SENDER_FEC_ORDER -> "Sender's FEC order";
            case SRTP_AUTHENTICATION -> "SRTP authentication";
            case AUTHENTICATION_TAG_LENGTH -> "Authentication tag length";
            case SRTP_PREFIX_LENGTH -> "SRTP prefix length";
            case ROC_TRANSMISSION_RATE -> "ROC transmission rate";
            case SRTP_AUTH_ALGORITHM -> "SRTP Auth. algorithm";
            case SRTCP_AUTH_ALGORITHM -> "SRTCP Auth. algorithm";
            case SRTP_SESSION_AUTH_KEY_LENGTH -> "SRTP Session Auth. key length";
            case SRTCP_SESSION_AUTH_KEY_LENGTH -> "SRTCP Session Auth. key length";
            case SRTP_AUTH_TAG_LENGTH -> "SRTP Authentication tag length";
            case SRTCP_AUTH_TAG_LENGTH -> "SRTCP Authentication tag length";
            case AEAD_AUTH_TAG_LENGTH -> "AEAD authentication tag length";
        };
    }

    /** The name of an SRTP parameter's value, for the parameters whose values are code points; else null. */
    static String srtpParamValue(SrtpParam p, long v) {
        return switch (p) {
            case ENCRYPTION_ALGORITHM -> switch ((int) v) {
                case 0 -> "NULL";
                case 1 -> "AES-CM";
                case 2 -> "AES-F8";
                case 3 -> "SEED-CTR";
                case 4 -> "SEED-CCM";
                case 5 -> "SEED-GCM";
                case 6 -> "AES-GCM";
                default -> "unknown";
            };
            case AUTHENTICATION_ALGORITHM, SRTP_AUTH_ALGORITHM, SRTCP_AUTH_ALGORITHM -> switch ((int) v) {
                case 0 -> "NULL";
                case 1 -> "HMAC-SHA-1";
                case 2 -> "RCCm1";
                case 3 -> "RCCm2";
                case 4 -> "RCCm3";
                default -> "unknown";
            };
            case SRTP_PSEUDO_RANDOM_FUNCTION -> switch ((int) v) {
                case 0 -> "AES-CM";
                case 1 -> "SEED-CTR";
                default -> "unknown";
            };
            case SRTP_ENCRYPTION, SRTCP_ENCRYPTION, SRTP_AUTHENTICATION -> v == 0 ? "Off" : v == 1 ? "On" : "unknown";
            case SENDER_FEC_ORDER -> v == 0 ? "FEC-SRTP" : "unknown";
            default -> null;
        };
    }
}
