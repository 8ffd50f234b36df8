package org.kmsconf.bench.mikey;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.KmsResult;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.exchange.TransferResponse;
import org.kmsconf.mikey.message.Ssrc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One protocol step of RFC 6043 mode 1 with forking, through the real exchange code (decode, replay check, MACs,
 * KEMAC, derivations, policy callbacks, encode of the answer), on pre-built distinct messages:
 * <ul>
 *   <li>{@code kmsRequest}: the KMS answers a REQUEST_INIT_PSK with a REQUEST_RESP (issues a ticket).</li>
 *   <li>{@code kmsResolve}: the KMS answers the focus's RESOLVE_INIT_PSK with a RESOLVE_RESP (checks ticket and
 *       Initiator Data, forks MPKr and TGK).</li>
 *   <li>{@code responderResolveInit}: the focus parses TRANSFER_INIT (early checks) and builds RESOLVE_INIT.</li>
 *   <li>{@code responderTransfer}: the focus takes the RESOLVE_RESP, verifies the TRANSFER_INIT MAC and Vi,
 *       derives the SRTP keys and builds TRANSFER_RESP.</li>
 * </ul>
 * Every message is used once per replay cache: after {@value #POOL} operations the party is replaced by a fresh
 * one (fresh replay cache), an amortised cost below 0.1 % of the figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExchangeBenchmark {
    static final int POOL = 2048;

    @Param({"SET_128", "SET_256"})
    public String set;

    private BenchWorld world;
    private byte[][] requests;
    private byte[][] resolves;
    private byte[][] transferInits;
    private KmsProtocol requestKms;
    private KmsProtocol resolveKms;
    private PartyContext responderCtx;
    private int iRequest;
    private int iResolve;
    private int iTransfer;

    @Setup(Level.Trial)
    public void setup() {
        world = new BenchWorld(AlgorithmSet.valueOf(set));
        requests = new byte[POOL][];
        resolves = new byte[POOL][];
        transferInits = new byte[POOL][];
        KmsProtocol kms = world.kms();
        TicketGrant grant = world.grant(kms, BenchWorld.ALICE, BenchWorld.FACTORY, BenchWorld.BOB);
        for (int i = 0; i < POOL; i++) {
            requests[i] = world.request(BenchWorld.ALICE, BenchWorld.FACTORY, BenchWorld.BOB).message();
            transferInits[i] = world.transferInit(grant, BenchWorld.ALICE, BenchWorld.FACTORY);
            resolves[i] = world.resolveInit(transferInits[i]);
            kms.handle(resolves[i]);
        }
        requestKms = world.kms();
        resolveKms = world.kms();
        responderCtx = world.context();
        // sanity: the pool really exercises the success paths
        check(world.kms().handle(requests[0]), "REQUEST_RESP");
        check(world.kms().handle(resolves[0]), "RESOLVE_RESP");
    }

    private static void check(KmsResult r, String what) {
        if (r.response()[1] == 6) {
            throw new IllegalStateException("benchmark setup: the KMS answered with an error instead of " + what
                    + ": " + r.outcome());
        }
    }

    @Benchmark
    public byte[] kmsRequest() {
        if (iRequest == POOL) {
            iRequest = 0;
            requestKms = world.kms();
        }
        return requestKms.handle(requests[iRequest++]).response();
    }

    @Benchmark
    public byte[] kmsResolve() {
        if (iResolve == POOL) {
            iResolve = 0;
            resolveKms = world.kms();
        }
        return resolveKms.handle(resolves[iResolve++]).response();
    }

    /** Untimed preparation of one responder step: a fresh TRANSFER_INIT received, resolved at the KMS. */
    @State(Scope.Thread)
    public static class ResolvedResponder {
        TransferResponder responder;
        byte[] resolveResp;
        private int used = POOL;
        private PartyContext ctx;
        private KmsProtocol kms;

        @Setup(Level.Invocation)
        public void prepare(ExchangeBenchmark b) {
            if (used == POOL) {
                used = 0;
                ctx = b.world.context();
                kms = b.world.kms();
            }
            responder = TransferResponder.receive(b.transferInits[used++], ctx);
            byte[] resolveInit = responder.resolveInit(BenchWorld.FOCUS, BenchWorld.KMS,
                    b.world.pskIds.get(BenchWorld.FACTORY), b.world.psks.get(BenchWorld.FACTORY));
            resolveResp = kms.handle(resolveInit).response();
        }
    }

    /**
     * The responder (focus) from RESOLVE_RESP to TRANSFER_RESP: decrypt and check the KMS answer, verify the
     * TRANSFER_INIT MAC with MPKi and Vi, derive the per-CS SRTP keys from TGK', build TRANSFER_RESP with MPKr'.
     * Receiving TRANSFER_INIT and building RESOLVE_INIT happen in the untimed per-invocation setup.
     */
    @Benchmark
    public byte[] responderTransfer(ResolvedResponder s) {
        s.responder.processResolveResponse(s.resolveResp);
        TransferResponse resp = s.responder.respond(List.of(Ssrc.of(0x55667788)));
        s.responder.destroy();
        return resp.message();
    }

    /** The responder receiving TRANSFER_INIT (early policy checks) and building its RESOLVE_INIT_PSK. */
    @Benchmark
    public byte[] responderResolveInit() {
        if (iTransfer == POOL) {
            iTransfer = 0;
            responderCtx = world.context();
        }
        TransferResponder r = TransferResponder.receive(transferInits[iTransfer++], responderCtx);
        return r.resolveInit(BenchWorld.FOCUS, BenchWorld.KMS, world.pskIds.get(BenchWorld.FACTORY),
                world.psks.get(BenchWorld.FACTORY));
    }
}
