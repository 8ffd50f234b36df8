package org.kmsconf.bench.mikey;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.Ssrc;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The crypto steps of {@link CryptoStepsBenchmark}, the exchange steps of {@link ExchangeBenchmark} and a
 * decode + encode as in {@link CodecBenchmark}, timed in <b>thread CPU
 * time</b> rather than wall time: on a shared machine whose cores are busy with other work, JMH's wall-clock figures
 * include the time the thread waited for a core; the CPU time per operation does not. Run after JMH as a
 * cross-check: {@code java -cp bench/target/benchmarks.jar org.kmsconf.bench.mikey.CpuTimeProbe [rounds]}.
 */
public final class CpuTimeProbe {
    private static final byte[] EMPTY = new byte[0];

    private CpuTimeProbe() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        List<CodecBenchmark> codecs = new java.util.ArrayList<>();
        for (String type : List.of("REQUEST_INIT_PSK", "REQUEST_RESP", "TRANSFER_INIT", "RESOLVE_INIT_PSK",
                "RESOLVE_RESP", "TRANSFER_RESP", "ERROR")) {
            CodecBenchmark cb = new CodecBenchmark();
            cb.message = type;
            cb.setup();
            codecs.add(cb);
        }
        for (int warm = 0; warm < 50_000; warm++) { // every type hot before any is timed
            for (CodecBenchmark cb : codecs) {
                cb.encode0(cb.decode().payloads().size());
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (CodecBenchmark cb : codecs) {
                report(mx, "decode " + cb.message, 20_000, i -> {
                    cb.decode();
                    return EMPTY;
                });
                report(mx, "encode " + cb.message, 20_000, cb::encode0);
            }
        }
        for (String bits : List.of("128", "256")) {
            CryptoStepsBenchmark c = new CryptoStepsBenchmark();
            c.set = bits;
            c.setup();
            for (int r = 0; r < rounds; r++) {
                report(mx, "crypto " + bits + " requestAtKms", 4096, i -> {
                    c.requestAtKms(bh);
                    return EMPTY;
                });
                report(mx, "crypto " + bits + " resolveAtKms", 4096, i -> {
                    c.resolveAtKms(bh);
                    return EMPTY;
                });
                report(mx, "crypto " + bits + " transferInitVerifyAndRespond", 4096, i -> {
                    c.transferInitVerifyAndRespond(bh);
                    return EMPTY;
                });
            }
        }
        for (AlgorithmSet set : AlgorithmSet.values()) {
            BenchWorld w = new BenchWorld(set);
            KmsProtocol kms = w.kms();
            TicketGrant grant = w.grant(kms, BenchWorld.ALICE, BenchWorld.FACTORY, BenchWorld.BOB);
            int n = ExchangeBenchmark.POOL;
            byte[][] req = new byte[n][];
            byte[][] ti = new byte[n][];
            byte[][] res = new byte[n][];
                for (int i = 0; i < n; i++) {
                req[i] = w.request(BenchWorld.ALICE, BenchWorld.FACTORY, BenchWorld.BOB).message();
                ti[i] = w.transferInit(grant, BenchWorld.ALICE, BenchWorld.FACTORY);
                res[i] = w.resolveInit(ti[i]);
            }
            for (int r = 0; r < rounds; r++) {
                KmsProtocol k1 = w.kms();
                report(mx, set + " kmsRequest", n, i -> k1.handle(req[i]).response());
                KmsProtocol k2 = w.kms();
                report(mx, set + " kmsResolve", n, i -> k2.handle(res[i]).response());
                var ctx = w.context();
                TransferResponder[] resp = new TransferResponder[n];
                byte[][] resolveInit = new byte[n][];
                report(mx, set + " responder receive+resolveInit", n, i -> {
                    resp[i] = TransferResponder.receive(ti[i], ctx);
                    resolveInit[i] = resp[i].resolveInit(BenchWorld.FOCUS, BenchWorld.KMS,
                            w.pskIds.get(BenchWorld.FACTORY), w.psks.get(BenchWorld.FACTORY));
                    return resolveInit[i];
                });
                KmsProtocol k3 = w.kms();
                byte[][] resolveResp = new byte[n][];
                for (int i = 0; i < n; i++) {
                    resolveResp[i] = k3.handle(resolveInit[i]).response();
                }
                report(mx, set + " responder resolveResp+respond", n, i -> {
                    resp[i].processResolveResponse(resolveResp[i]);
                    byte[] m = resp[i].respond(List.of(Ssrc.of(0x55667788))).message();
                    resp[i].destroy();
                    return m;
                });
                report(mx, set + " decode+encode TRANSFER_INIT", n, i -> MikeyCodec.encode(MikeyCodec.decode(ti[i])));
            }
        }
    }

    private static void report(ThreadMXBean mx, String what, int n, IntFunction<byte[]> op) {
        long sink = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += op.apply(i).length;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        System.out.printf(Locale.ROOT, "%-48s cpu %8.2f us/op   wall %8.2f us/op   (%d ops, %d)%n", what,
                cpu / 1000.0 / n, wall / 1000.0 / n, n, sink % 10);
    }
}
