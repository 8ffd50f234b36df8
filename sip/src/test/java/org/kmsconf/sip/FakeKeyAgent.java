package org.kmsconf.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.sip.keys.IncomingTransfer;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.KeyManagementException;
import org.kmsconf.sip.keys.KeyManagementException.Reason;
import org.kmsconf.sip.keys.Leg;
import org.kmsconf.sip.keys.ResolvedTransfer;
import org.kmsconf.sip.keys.Ssrcs;
import org.kmsconf.sip.keys.Ticket;
import org.kmsconf.sip.keys.TransferOffer;

/**
 * TEST DOUBLE of {@link KeyAgent} over {@link FakeKms}: messages start with the MIKEY version and data type bytes
 * (so traces classify them) followed by text fields and an HMAC; MPKi/MPKr'/TGK' are HMAC stand-ins with the same
 * properties the SIP layer relies on (only initiator and resolver get the forked keys; the responder identity is
 * bound in; a replayed TRANSFER_INIT is refused).
 */
final class FakeKeyAgent implements KeyAgent {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final FakeKms kms;
    private final Set<String> identities;
    private final boolean conferenceSystem;
    private final Set<String> seenNonces = ConcurrentHashMap.newKeySet();

    FakeKeyAgent(FakeKms kms, Set<String> identities, boolean conferenceSystem) {
        this.kms = kms;
        this.identities = identities;
        this.conferenceSystem = conferenceSystem;
    }

    private record FakeTicket(FakeKms.TicketRecord rec) implements Ticket {
        public String initiator() {
            return rec.initiator();
        }

        public List<String> responders() {
            return rec.responders();
        }

        public void destroy() { }
    }

    @Override
    public Ticket requestTicket(String initiator, List<String> responders) throws KeyManagementException {
        if (!identities.contains(initiator) && !(conferenceSystem && kms.focusRule.matcher(initiator).matches())) {
            throw new KeyManagementException(Reason.KMS_REFUSED, ErrorCode.INVALID_ID, "not your identity");
        }
        return new FakeTicket(kms.request(initiator, responders));
    }

    @Override
    public TransferOffer offer(Ticket ticket, String responder, Ssrcs ssrcs) {
        FakeKms.TicketRecord t = ((FakeTicket) ticket).rec();
        String nonce = Long.toHexString(RANDOM.nextLong());
        String body = String.join("\n", t.id(), t.initiator(), String.join(",", t.responders()), responder, nonce,
                Long.toString(ssrcs.cs1()), Long.toString(ssrcs.cs2()));
        byte[] init = frame(14, body, FakeKms.hmac(mpki(t.mpk()), body, ""));
        return new TransferOffer() {
            @Override
            public byte[] message() {
                return init.clone();
            }

            @Override
            public Leg complete(byte[] transferResp) throws KeyManagementException {
                String[] f = fields(transferResp, 15, 5);
                byte[] forked = mpkr(t.mpk(), f[1]);
                verify(transferResp, forked, new String(init, StandardCharsets.ISO_8859_1));
                Ssrcs final_ = new Ssrcs(Long.parseLong(f[2]), Long.parseLong(f[3]));
                return leg(t.mpk(), t.initiator(), f[1], nonce, f[4], final_, transferResp);
            }
        };
    }

    @Override
    public IncomingTransfer receive(byte[] transferInit) throws KeyManagementException {
        String[] f = fields(transferInit, 14, 7);
        return new IncomingTransfer() {
            public String claimedInitiator() {
                return f[1];
            }

            public List<String> claimedResponders() {
                return List.of(f[2].split(","));
            }

            public Ssrcs offeredSsrcs() {
                return new Ssrcs(Long.parseLong(f[5]), Long.parseLong(f[6]));
            }

            public ResolvedTransfer resolve(String as) throws KeyManagementException {
                FakeKms.TicketRecord t = kms.resolve(f[0], as, identities, conferenceSystem);
                verify(transferInit, mpki(t.mpk()), "");
                if (!t.initiator().equals(f[1]) || !String.join(",", t.responders()).equals(f[2])) {
                    throw new KeyManagementException(Reason.AUTHENTICATION, ErrorCode.INVALID_MAC, "ticket mismatch");
                }
                if (!seenNonces.add(f[1] + "/" + f[4])) {
                    throw new KeyManagementException(Reason.REPLAY, ErrorCode.INVALID_TS, "TRANSFER_INIT replayed");
                }
                Ssrcs offered = offeredSsrcs();
                return new ResolvedTransfer() {
                    public String initiator() {
                        return t.initiator();
                    }

                    public List<String> responders() {
                        return t.responders();
                    }

                    public String resolvedAs() {
                        return as;
                    }

                    public Ssrcs offeredSsrcs() {
                        return offered;
                    }

                    public Leg answer(Ssrcs ssrcs) {
                        String rnonce = Long.toHexString(RANDOM.nextLong());
                        String body = String.join("\n", f[4], as, Long.toString(ssrcs.cs1()),
                                Long.toString(ssrcs.cs2()), rnonce);
                        byte[] resp = frame(15, body, FakeKms.hmac(mpkr(t.mpk(), as), body,
                                new String(transferInit, StandardCharsets.ISO_8859_1)));
                        return leg(t.mpk(), t.initiator(), as, f[4], rnonce, ssrcs, resp);
                    }

                    public void discard() { }
                };
            }
        };
    }

    private static byte[] mpki(byte[] mpk) {
        return FakeKms.hmac(mpk, "MPKi");
    }

    private static byte[] mpkr(byte[] mpk, String idr) {
        return FakeKms.hmac(mpk, "MPKr'", idr);
    }

    private static Leg leg(byte[] mpk, String initiator, String responder, String ni, String nr, Ssrcs ssrcs,
                           byte[] resp) {
        byte[] tgk = FakeKms.hmac(mpk, "TGK'", responder);
        return new Leg(initiator, responder, ssrcs, srtp(tgk, 1, ni, nr), srtp(tgk, 2, ni, nr), resp);
    }

    private static SrtpKeys srtp(byte[] tgk, int cs, String ni, String nr) {
        byte[] k = FakeKms.hmac(tgk, "key", Integer.toString(cs), ni, nr);
        byte[] s = FakeKms.hmac(tgk, "salt", Integer.toString(cs), ni, nr);
        return new SrtpKeys(cs, Arrays.copyOf(k, 16), Arrays.copyOf(s, 14));
    }

    private static byte[] frame(int dataType, String body, byte[] mac) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] m = HexFormat.of().formatHex(mac).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[2 + b.length + 1 + m.length];
        out[0] = 1;
        out[1] = (byte) dataType;
        System.arraycopy(b, 0, out, 2, b.length);
        out[2 + b.length] = '\n';
        System.arraycopy(m, 0, out, 3 + b.length, m.length);
        return out;
    }

    private static String[] fields(byte[] msg, int dataType, int n) throws KeyManagementException {
        if (msg.length < 2 || msg[0] != 1 || msg[1] != dataType) {
            throw new KeyManagementException(Reason.INVALID, ErrorCode.INVALID_DT, "unexpected data type");
        }
        String[] f = new String(msg, 2, msg.length - 2, StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != n + 1) {
            throw new KeyManagementException(Reason.INVALID, ErrorCode.UNSPECIFIED, "malformed");
        }
        return f;
    }

    private static void verify(byte[] msg, byte[] key, String extra) throws KeyManagementException {
        String s = new String(msg, 2, msg.length - 2, StandardCharsets.UTF_8);
        int nl = s.lastIndexOf('\n');
        byte[] want = HexFormat.of().formatHex(FakeKms.hmac(key, s.substring(0, nl), extra))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] got = s.substring(nl + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(want, got)) {
            throw new KeyManagementException(Reason.AUTHENTICATION, ErrorCode.INVALID_MAC, "MAC mismatch");
        }
    }
}
