package org.kmsconf.control.bfcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.kmsconf.control.bfcp.message.BfcpMessage;

/**
 * Round trip of random messages of every primitive, and hostile input: truncations, bit flips, lying lengths and
 * random bytes produce a message or a {@link BfcpException}, never another exception, never a hang; a message that
 * does decode re-encodes to something that decodes to the same message.
 */
class BfcpCodecProperties {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bfcp-decode");
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void stop() {
        POOL.shutdownNow();
    }

    @Provide
    Arbitrary<BfcpMessage> messages() {
        return BfcpArbitraries.messages();
    }

    @Property(tries = 500)
    void everyMessageRoundTrips(@ForAll("messages") BfcpMessage m) {
        byte[] wire = BfcpCodec.encode(m);
        assertThat(wire.length % 4).isZero();
        assertThat(BfcpCodec.decode(wire)).isEqualTo(m);
        assertThat(BfcpCodec.encode(BfcpCodec.decode(wire))).isEqualTo(wire);
    }

    @Property(tries = 300)
    void everyTruncationIsRefused(@ForAll("messages") BfcpMessage m) {
        byte[] wire = BfcpCodec.encode(m);
        for (int n = 0; n < wire.length; n++) {
            byte[] cut = Arrays.copyOf(wire, n);
            assertThat(outcome(cut)).as("truncated to %d", n).isInstanceOf(BfcpException.class);
        }
    }

    @Property(tries = 300)
    void bitFlipsNeverEscapeTheCodec(@ForAll("messages") BfcpMessage m, @ForAll("positions") int seed) {
        byte[] wire = BfcpCodec.encode(m);
        for (int i = 0; i < Math.min(wire.length * 8, 64); i++) {
            byte[] flipped = wire.clone();
            int bit = Math.floorMod(seed + i * 7919, wire.length * 8);
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            stable(flipped);
        }
    }

    @Property(tries = 300)
    void lyingLengthsNeverEscapeTheCodec(@ForAll("messages") BfcpMessage m, @ForAll("positions") int at,
            @ForAll("octets") int value) {
        byte[] wire = BfcpCodec.encode(m);
        // the Payload Length octets, and any octet past the header (attribute Length fields among them)
        int[] targets = {2, 3, BfcpCodec.HEADER_BYTES + 1, Math.floorMod(at, wire.length)};
        for (int t : targets) {
            if (t < wire.length) {
                byte[] lie = wire.clone();
                lie[t] = (byte) value;
                stable(lie);
            }
        }
    }

    @Property(tries = 1000)
    void randomBytesNeverEscapeTheCodec(@ForAll("garbage") byte[] b) {
        stable(b);
    }

    @Property(tries = 300)
    void randomAttributesAfterAValidHeaderNeverEscapeTheCodec(@ForAll("garbage") byte[] attrs,
            @ForAll("primitives") int primitive) {
        int len = attrs.length & ~3;
        byte[] b = new byte[BfcpCodec.HEADER_BYTES + len];
        b[0] = 0x20;
        b[1] = (byte) primitive;
        b[2] = (byte) ((len / 4) >> 8);
        b[3] = (byte) (len / 4);
        System.arraycopy(attrs, 0, b, BfcpCodec.HEADER_BYTES, len);
        stable(b);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<Integer> octets() {
        return Arbitraries.integers().between(0, 255);
    }

    @Provide
    Arbitrary<Integer> primitives() {
        return Arbitraries.integers().between(1, 17);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    /** Decodes under a time bound; a success must survive re-encoding. */
    private static void stable(byte[] b) {
        Object r = outcome(b);
        if (r instanceof BfcpMessage m) {
            assertThat(BfcpCodec.decode(BfcpCodec.encode(m))).isEqualTo(m);
        } else {
            assertThat(r).isInstanceOf(BfcpException.class);
        }
    }

    /** The decoded message or the exception thrown, whatever it is; a hang fails after 2 s. */
    private static Object outcome(byte[] b) {
        Future<Object> f = POOL.submit(() -> {
            try {
                return BfcpCodec.decode(b);
            } catch (RuntimeException e) {
                return e;
            }
        });
        try {
            return f.get(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("decoding did not end within 2 s", e);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
