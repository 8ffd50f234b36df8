package org.kmsconf.bench.mikey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.kmsconf.mikey.crypto.EncrAlg;
import org.kmsconf.mikey.crypto.KemacCrypto;
import org.kmsconf.mikey.crypto.KeyDerivation.Direction;
import org.kmsconf.mikey.crypto.KeyDerivation;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.crypto.Labels;
import org.kmsconf.mikey.crypto.MacAlg;
import org.kmsconf.mikey.crypto.Macs;
import org.kmsconf.mikey.crypto.MessageKeys;
import org.kmsconf.mikey.crypto.Prf;
import org.kmsconf.mikey.crypto.PrfFunc;
import org.kmsconf.mikey.crypto.SrtpKeys;
import org.kmsconf.mikey.crypto.SrtpPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cryptographic work of each MIKEY-TICKET step, done with the crypto API directly on message-sized inputs
 * (the codec and the exchange code add parsing and encoding on top). Each method
 * performs exactly the PRF calls, KEMAC encryptions and MACs RFC 6043 prescribes for that step in our profile
 * (mode 1, forking, one MPK + one TGK, two crypto sessions per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoStepsBenchmark {

    /** "128": PRF MIKEY-1, AES-CM-128, HMAC-SHA-1-160. "256": PRF-HMAC-SHA-256, AES-CM-256, HMAC-SHA-256-256. */
    @Param({"128", "256"})
    public String set;

    private PrfFunc prf;
    private EncrAlg ea;
    private MacAlg ma;
    private int keyLen;
    private KeyMaterial psk;
    private KeyMaterial resolverPsk;
    private KeyMaterial tpk;
    private KeyMaterial mpk;
    private KeyMaterial tgk;
    private byte[] randRi;
    private byte[] randRr;
    private byte[] randRkms;
    private byte[] ticketRand;
    private byte[] idi;
    private byte[] idr;
    private byte[] idkms;
    private byte[] requestInit;
    private byte[] resolveInit;
    private byte[] transferInit;
    private byte[] ticketKeyData;
    private byte[] responseKeyData;
    private byte[] initiatorData;
    private byte[] requestMac;
    private byte[] resolveMac;
    private byte[] transferMac;
    private byte[] ticketMac;
    private byte[] encryptedTicketKeys;
    private byte[] vrMac;
    private KeyMaterial mpki;
    private KeyMaterial mpkrForked;
    private KeyMaterial tgkForked;
    private final int csb = 0x0a0b0c0d;
    private final long t64 = 0xe9a1b2c300000000L;

    @Setup
    public void setup() {
        boolean big = set.equals("256");
        prf = big ? PrfFunc.HMAC_SHA_256 : PrfFunc.MIKEY_1;
        ea = big ? EncrAlg.AES_CM_256 : EncrAlg.AES_CM_128;
        ma = big ? MacAlg.HMAC_SHA_256_256 : MacAlg.HMAC_SHA_1_160;
        keyLen = big ? 32 : 16;
        SecureRandom rnd = new SecureRandom();
        psk = KeyMaterial.of(bytes(rnd, keyLen));
        resolverPsk = KeyMaterial.of(bytes(rnd, keyLen));
        tpk = KeyMaterial.of(bytes(rnd, keyLen));
        mpk = KeyMaterial.of(bytes(rnd, keyLen));
        tgk = KeyMaterial.of(bytes(rnd, keyLen));
        randRi = bytes(rnd, keyLen);
        randRr = bytes(rnd, keyLen);
        randRkms = bytes(rnd, keyLen);
        ticketRand = bytes(rnd, keyLen);
        idi = "sip:alice@operator.example".getBytes(StandardCharsets.US_ASCII);
        idr = "sip:focus7.conference1@operator.example".getBytes(StandardCharsets.US_ASCII);
        idkms = "kms.operator.example".getBytes(StandardCharsets.US_ASCII);
        // message sizes as our encoder produces them (about): REQUEST_INIT 170 B, ticket 230 B, TRANSFER_INIT 420 B
        requestInit = bytes(rnd, 170);
        resolveInit = bytes(rnd, 330);
        transferInit = bytes(rnd, 420);
        ticketKeyData = bytes(rnd, 2 * (8 + keyLen) + 4); // MPK + TGK key data sub-payloads with SPIs
        responseKeyData = bytes(rnd, 3 * (8 + keyLen) + 4); // MPKi + MPKr(') + TGK(')
        initiatorData = bytes(rnd, 1 + 2 + 2 * ma.macBytes());

        requestMac = Macs.compute(ma, KeyDerivation.authKey(prf, psk, Direction.INITIAL, csb, randRi, null, ma),
                requestInit, idi, idkms);
        resolveMac = Macs.compute(ma, KeyDerivation.authKey(prf, resolverPsk, Direction.INITIAL, csb, null, randRr, ma),
                resolveInit, idr, idkms);
        MessageKeys tk = KeyDerivation.ticketKeys(prf, tpk, ticketRand, ea, ma);
        encryptedTicketKeys = KemacCrypto.encrypt(tk, Labels.NO_CSB, t64, ticketKeyData);
        ticketMac = Macs.compute(ma, tk.authKey(), resolveInit, 0, 230);
        mpki = KeyDerivation.mpki(prf, mpk, ticketRand);
        mpkrForked = KeyDerivation.forkMpkr(prf, KeyDerivation.mpkr(prf, mpk, ticketRand), idr, randRkms);
        tgkForked = KeyDerivation.forkTgk(prf, tgk, idr, randRkms);
        transferMac = Macs.compute(ma, KeyDerivation.authKey(prf, mpki, Direction.INITIAL, csb, randRi, null, ma),
                transferInit, idi, idr);
        vrMac = Macs.compute(ma, KeyDerivation.vrKey(prf, KeyDerivation.mpkr(prf, mpk, ticketRand), ma),
                initiatorData, 0, initiatorData.length - ma.macBytes());
    }

    /**
     * KMS, REQUEST_INIT_PSK -> REQUEST_RESP: verify the request MAC (PSK, label 0x01); protect the ticket with
     * the TPK (encr, salt, auth), encrypt MPK + TGK, MAC the ticket; derive MPKi and MPKr; protect the response
     * with the PSK (label 0x02: encr, salt, auth), encrypt MPKi + MPKr + TGK, MAC response || request.
     */
    @Benchmark
    public void requestAtKms(Blackhole bh) {
        KeyMaterial auth = KeyDerivation.authKey(prf, psk, Direction.INITIAL, csb, randRi, null, ma);
        bh.consume(Macs.verify(ma, auth, requestMac, requestInit, idi, idkms));
        MessageKeys tk = KeyDerivation.ticketKeys(prf, tpk, ticketRand, ea, ma);
        byte[] ticketKemac = KemacCrypto.encrypt(tk, Labels.NO_CSB, t64, ticketKeyData);
        bh.consume(Macs.compute(ma, tk.authKey(), ticketKemac, resolveInit));
        KeyMaterial mpki = KeyDerivation.mpki(prf, mpk, ticketRand);
        KeyMaterial mpkr = KeyDerivation.mpkr(prf, mpk, ticketRand);
        MessageKeys rk = KeyDerivation.messageKeys(prf, psk, Direction.RESPONSE, csb, randRi, null, ea, ma);
        byte[] kemac = KemacCrypto.encrypt(rk, csb, t64, responseKeyData);
        bh.consume(Macs.compute(ma, rk.authKey(), kemac, requestInit, requestMac));
        bh.consume(mpki);
        bh.consume(mpkr);
        auth.destroy();
        tk.destroy();
        rk.destroy();
    }

    /**
     * KMS, RESOLVE_INIT_PSK -> RESOLVE_RESP: verify the resolve MAC (resolver PSK, label 0x01); verify the ticket
     * MAC and decrypt its KEMAC (TPK keys); derive MPKi, MPKr; check the Initiator Data Vr (key from MPKr);
     * fork MPKr and TGK with (IDRr, RANDRkms); protect the response with the resolver's PSK (label 0x02).
     */
    @Benchmark
    public void resolveAtKms(Blackhole bh) {
        KeyMaterial auth = KeyDerivation.authKey(prf, resolverPsk, Direction.INITIAL, csb, null, randRr, ma);
        bh.consume(Macs.verify(ma, auth, resolveMac, resolveInit, idr, idkms));
        MessageKeys tk = KeyDerivation.ticketKeys(prf, tpk, ticketRand, ea, ma);
        bh.consume(Macs.verify(ma, tk.authKey(), ticketMac, resolveInit, 0, 230));
        bh.consume(KemacCrypto.decrypt(tk, Labels.NO_CSB, t64, encryptedTicketKeys));
        KeyMaterial mpki = KeyDerivation.mpki(prf, mpk, ticketRand);
        KeyMaterial mpkr = KeyDerivation.mpkr(prf, mpk, ticketRand);
        KeyMaterial vr = KeyDerivation.vrKey(prf, mpkr, ma);
        bh.consume(Macs.verify(ma, vr, vrMac, initiatorData, 0, initiatorData.length - ma.macBytes()));
        KeyMaterial mpkrF = KeyDerivation.forkMpkr(prf, mpkr, idr, randRkms);
        KeyMaterial tgkF = KeyDerivation.forkTgk(prf, tgk, idr, randRkms);
        MessageKeys rk = KeyDerivation.messageKeys(prf, resolverPsk, Direction.RESPONSE, csb, null, randRr, ea, ma);
        byte[] kemac = KemacCrypto.encrypt(rk, csb, t64, responseKeyData);
        bh.consume(Macs.compute(ma, rk.authKey(), kemac, resolveInit, resolveMac));
        bh.consume(mpki);
        bh.consume(mpkrF);
        bh.consume(tgkF);
        auth.destroy();
        tk.destroy();
        rk.destroy();
    }

    /**
     * Responder (UE or focus), from RESOLVE_RESP to TRANSFER_RESP: derive its own response keys (PSK, label 0x02),
     * verify the RESOLVE_RESP MAC and decrypt MPKi, MPKr', TGK'; verify the TRANSFER_INIT MAC with MPKi
     * (label 0x01, Ri); MAC the TRANSFER_RESP with MPKr' (label 0x02, Ri + Rr); derive the SRTP master key and
     * salt of two crypto sessions from TGK'.
     */
    @Benchmark
    public void transferInitVerifyAndRespond(Blackhole bh) {
        MessageKeys rk = KeyDerivation.messageKeys(prf, resolverPsk, Direction.RESPONSE, csb, null, randRr, ea, ma);
        bh.consume(Macs.verify(ma, rk.authKey(), resolveMac, resolveInit, resolveMac));
        bh.consume(KemacCrypto.decrypt(rk, csb, t64, responseKeyData));
        KeyMaterial ti = KeyDerivation.authKey(prf, mpki, Direction.INITIAL, csb, randRi, null, ma);
        bh.consume(Macs.verify(ma, ti, transferMac, transferInit, idi, idr));
        KeyMaterial tr = KeyDerivation.authKey(prf, mpkrForked, Direction.RESPONSE, csb, randRi, randRr, ma);
        bh.consume(Macs.compute(ma, tr, requestInit, transferInit));
        SrtpPolicy policy = keyLen == 32 ? SrtpPolicy.AES_256_CM_HMAC_SHA1_80 : SrtpPolicy.AES_CM_128_HMAC_SHA1_80;
        SrtpKeys cs1 = KeyDerivation.srtpKeys(prf, tgkForked, 1, randRi, randRr, policy);
        SrtpKeys cs2 = KeyDerivation.srtpKeys(prf, tgkForked, 2, randRi, randRr, policy);
        bh.consume(cs1);
        bh.consume(cs2);
        rk.destroy();
        ti.destroy();
        tr.destroy();
    }

    /** One PRF call giving a 128- or 256-bit key from a key of the same size. */
    @Benchmark
    public byte[] onePrf() {
        return Prf.derive(prf, tgk.bytes(), randRkms, keyLen);
    }

    private static byte[] bytes(SecureRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
