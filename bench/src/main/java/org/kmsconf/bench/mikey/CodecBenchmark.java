package org.kmsconf.bench.mikey;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.KmsProtocol;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode and encode of each message of the conferencing flows, as the exchange code builds them (128-bit set,
 * forking, ticket with two responders, GENERIC-ID map with two crypto sessions).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    @Param({"REQUEST_INIT_PSK", "REQUEST_RESP", "TRANSFER_INIT", "RESOLVE_INIT_PSK", "RESOLVE_RESP", "TRANSFER_RESP",
        "ERROR"})
    public String message;

    private byte[] wire;
    private MikeyMessage decoded;

    @Setup
    public void setup() {
        BenchWorld w = new BenchWorld(AlgorithmSet.SET_128);
        KmsProtocol kms = w.kms();
        TicketRequest req = w.request(BenchWorld.ALICE, BenchWorld.FACTORY, BenchWorld.BOB);
        byte[] requestResp = kms.handle(req.message()).response();
        TicketGrant grant = req.processResponse(requestResp);
        byte[] transferInit = w.transferInit(grant, BenchWorld.ALICE, BenchWorld.FACTORY);
        TransferResponder r = TransferResponder.receive(transferInit, w.context());
        byte[] resolveInit = r.resolveInit(BenchWorld.FOCUS, BenchWorld.KMS, w.pskIds.get(BenchWorld.FACTORY),
                w.psks.get(BenchWorld.FACTORY));
        byte[] resolveResp = kms.handle(resolveInit).response();
        r.processResolveResponse(resolveResp);
        wire = switch (message) {
            case "REQUEST_INIT_PSK" -> req.message();
            case "REQUEST_RESP" -> requestResp;
            case "TRANSFER_INIT" -> transferInit;
            case "RESOLVE_INIT_PSK" -> resolveInit;
            case "RESOLVE_RESP" -> resolveResp;
            case "TRANSFER_RESP" -> r.respond(List.of(Ssrc.of(0x55667788))).message();
            case "ERROR" -> r.errorMessage(ErrorCode.INVALID_SP);
            default -> throw new IllegalArgumentException(message);
        };
        decoded = MikeyCodec.decode(wire);
        if (!decoded.dataType().name().equals(message)) {
            throw new IllegalStateException("built " + decoded.dataType() + " instead of " + message);
        }
    }

    @Benchmark
    public MikeyMessage decode() {
        return MikeyCodec.decode(wire);
    }

    @Benchmark
    public byte[] encode() {
        return MikeyCodec.encode(decoded);
    }

    byte[] encode0(int ignored) {
        return encode();
    }
}
