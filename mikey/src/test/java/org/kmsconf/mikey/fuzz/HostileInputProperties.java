package org.kmsconf.mikey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.kmsconf.mikey.MikeyException;

/**
 * Hostile input: truncated, extended, bit-flipped and length-lied versions of a valid message of every data type
 * ({@link SampleMessages}) are decoded. Each decode must end within a time bound, either succeed (and then re-encode
 * byte for byte) or fail with a {@link MikeyException} — never another exception — and a lying length field must
 * never make the decoder allocate more than the input could justify.
 */
class HostileInputProperties {
    /** Generous per-input bound: a real decode takes microseconds; only a hang or a blow-up comes near this. */
    private static final long TIME_BOUND_MS = 2_000;
    private static final Map<String, byte[]> SAMPLES = SampleMessages.all();
    private static final ExecutorService DECODER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hostile-decoder");
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void stop() {
        DECODER.shutdownNow();
    }

    @Example
    void everySampleIsValidAndDecodesThroughEveryLayer() {
        assertThat(SAMPLES).hasSizeGreaterThanOrEqualTo(20);
        SAMPLES.forEach((name, bytes) -> assertThat(DecodeTarget.decodeEverything(bytes)).as(name).isPositive());
        // the ticket-carrying messages decode their base ticket, Initiator Data and TP Data KEMAC too
        assertThat(DecodeTarget.decodeEverything(SAMPLES.get("TRANSFER_INIT"))).isEqualTo(3);
        assertThat(DecodeTarget.decodeEverything(SAMPLES.get("REQUEST_INIT_PSK"))).isEqualTo(2);
    }

    @Property(tries = 600)
    void truncatedMessagesFailCleanly(@ForAll("truncated") byte[] input) {
        decodeWithinBound(input);
    }

    @Property(tries = 600)
    void extendedMessagesFailCleanly(@ForAll("extended") byte[] input) {
        decodeWithinBound(input);
    }

    @Property(tries = 1500)
    void bitFlippedMessagesDecodeOrFailCleanly(@ForAll("bitFlipped") byte[] input) {
        decodeWithinBound(input);
    }

    @Property(tries = 1500)
    void lengthLiesDecodeOrFailCleanly(@ForAll("lengthLied") byte[] input) {
        decodeWithinBound(input);
    }

    @Example
    void everyTruncationOfEverySampleFails() {
        SAMPLES.forEach((name, full) -> {
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                try {
                    DecodeTarget.decodeEverything(cut);
                    fail(name + " truncated to " + n + " bytes decoded: " + HexFormat.of().formatHex(cut));
                } catch (MikeyException expected) {
                    // a strict codec refuses every prefix
                }
            }
        });
    }

    /**
     * Every byte and every byte pair of every sample set to 0xFF / 0xFFFF (the largest 8- and 16-bit lengths):
     * whatever the decoder does, the bytes it allocates stay within a small multiple of the input size, far below
     * the 65535 bytes a believed 16-bit length would cost.
     */
    @Example
    void lyingLengthsNeverAllocateBeyondTheInput() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SAMPLES.forEach((name, full) -> {
            long bound = 8L * full.length + 48 * 1024;
            for (int i = 0; i < full.length; i++) {
                for (int width = 1; width <= 2 && i + width <= full.length; width++) {
                    byte[] lie = full.clone();
                    for (int j = 0; j < width; j++) {
                        lie[i + j] = (byte) 0xff;
                    }
                    quietDecode(lie); // warm-up: class loading and JIT allocations are not the decoder's
                    long before = mx.getCurrentThreadAllocatedBytes();
                    quietDecode(lie);
                    long used = mx.getCurrentThreadAllocatedBytes() - before;
                    assertThat(used).as("%s with 0xff x%d at offset %d allocated %d bytes", name, width, i, used)
                            .isLessThan(bound);
                }
            }
        });
    }

    @Example
    void hugeLengthOnATinyInputFailsFast() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> tiny = List.of(
                // HDR (TRANSFER_INIT, next KEMAC, empty map) + KEMAC claiming 65535 bytes of Encr data
                hex("010e0100 00000001 0001 00 01 ffff"),
                // HDR next TICKET: TP fields then TP Data length 65535
                hex("010e1100 00000001 0001 00 0001 01 01 00 00 00 ffff"),
                // HDR next IDR: IDR len 65535
                hex("010b0e80 00000001 0001 00 01 01 ffff 61"),
                // GENERIC-ID map with #CS 255 and nothing after the map type
                hex("010e0500 00000001 ff02"),
                // GENERIC-ID entry with Session Data Length 65535
                hex("010e0500 00000001 0102 01 00 01 00 ffff"),
                // SRTP-ID map with #CS 255 and no entries
                hex("01000500 00000001 ff00"));
        for (byte[] in : tiny) {
            quietDecode(in);
            long before = mx.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            MikeyException refused = null;
            try {
                DecodeTarget.decodeLayers(in);
            } catch (MikeyException expected) {
                refused = expected;
            }
            long micros = (System.nanoTime() - t0) / 1000;
            long used = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(refused).as("decoded: " + HexFormat.of().formatHex(in)).isNotNull();
            assertThat(refused.offset()).isBetween(0, in.length);
            assertThat(used).as("allocation for %s", HexFormat.of().formatHex(in)).isLessThan(16 * 1024);
            assertThat(micros).as("time for %s", HexFormat.of().formatHex(in)).isLessThan(50_000);
        }
    }

    // ---- generators --------------------------------------------------------------------------------------

    private static Arbitrary<byte[]> sample() {
        return Arbitraries.of(new ArrayList<>(SAMPLES.values()));
    }

    @Provide
    Arbitrary<byte[]> truncated() {
        return sample().flatMap(full -> Arbitraries.integers().between(0, full.length - 1)
                .map(n -> Arrays.copyOf(full, n)));
    }

    @Provide
    Arbitrary<byte[]> extended() {
        return sample().flatMap(full -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)
                .map(tail -> concat(full, tail)));
    }

    @Provide
    Arbitrary<byte[]> bitFlipped() {
        return sample().flatMap(full -> Arbitraries.integers().between(0, full.length * 8 - 1).list()
                .ofMinSize(1).ofMaxSize(4).map(bits -> {
                    byte[] b = full.clone();
                    for (int bit : bits) {
                        b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                    }
                    return b;
                }));
    }

    /** A 1- or 2-byte field anywhere overwritten with a length-like value: small, off by one, or huge. */
    @Provide
    Arbitrary<byte[]> lengthLied() {
        return sample().flatMap(full -> {
            Arbitrary<Integer> at = Arbitraries.integers().between(0, full.length - 2);
            Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.of(0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xfffe,
                    0xffff), Arbitraries.integers().between(0, 0xffff));
            return net.jqwik.api.Combinators.combine(at, value, Arbitraries.of(1, 2)).as((i, v, width) -> {
                byte[] b = full.clone();
                if (width == 2) {
                    b[i] = (byte) (v >>> 8);
                    b[i + 1] = (byte) (int) v;
                } else {
                    b[i] = (byte) (int) v;
                }
                return b;
            });
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Decodes on a separate thread with a time bound; only MikeyException may come out. */
    private static void decodeWithinBound(byte[] input) {
        Future<?> f = DECODER.submit(() -> {
            try {
                DecodeTarget.decodeEverything(input);
            } catch (MikeyException expected) {
                // refused cleanly
            }
        });
        try {
            f.get(TIME_BOUND_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("decode did not finish within " + TIME_BOUND_MS + " ms: " + HexFormat.of().formatHex(input));
        } catch (ExecutionException e) {
            throw new AssertionError("decode threw " + e.getCause() + " for " + HexFormat.of().formatHex(input),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Decoding only (the allocation bounds are about the decoder, not the printer's strings). */
    private static void quietDecode(byte[] in) {
        try {
            DecodeTarget.decodeLayers(in);
        } catch (MikeyException expected) {
            // fine
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
