package org.kmsconf.mikey.message;

import java.util.HexFormat;
import java.util.Random;

/**
 * An RTP synchronization source identifier (RFC 3550 §5.1): an unsigned 32-bit number, as carried in an RTP or
 * RTCP header, in SRTP session data of a GENERIC-ID map (RFC 6043 §6.1.1) and in an SRTP-ID map (RFC 3830 §6.1.1).
 * {@link #toString()} and {@link #parse} use the form {@code 0x5ec0beef} (eight hex digits), the form of the key log
 * and of every trace line. Every value is a valid SSRC; where our profile gives 0 the meaning "not assigned yet"
 * (the focus assigns SSRCs), {@link #isAssigned()} says so and {@link #random} never returns it.
 *
 * @param bits the 32 bits, as they appear on the wire (an {@code int}, so values above 2^31 are negative here)
 */
public record Ssrc(int bits) implements Comparable<Ssrc> {

    /** The value our profile reads as "not assigned yet" (and RFC 3830's SRTP-ID map as "not chosen yet"). */
    public static final Ssrc UNASSIGNED = new Ssrc(0);

    /** The SSRC with these 32 bits (e.g. read from an RTP header). */
    public static Ssrc of(int bits) {
        return new Ssrc(bits);
    }

    /**
     * The SSRC with this unsigned value.
     *
     * @throws IllegalArgumentException outside 0 .. 2^32 - 1
     */
    public static Ssrc of(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC " + value + " is outside 0 .. 0xffffffff");
        }
        return new Ssrc((int) value);
    }

    /**
     * Parses {@code 0x} followed by one to eight hex digits (any case), or a decimal number up to 4294967295.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Ssrc parse(String text) {
        String s = text == null ? "" : text.strip();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                String digits = s.substring(2);
                if (digits.isEmpty() || digits.length() > 8) {
                    throw new NumberFormatException();
                }
                return of(Long.parseLong(digits, 16));
            }
            if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException();
            }
            return of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an SSRC (0x + 8 hex digits, or 0 .. 4294967295): " + text);
        }
    }

    /** A uniformly random SSRC other than 0 (RFC 3550 §8.1: chosen at random). */
    public static Ssrc random(Random random) {
        int b;
        do {
            b = random.nextInt();
        } while (b == 0);
        return new Ssrc(b);
    }

    /** The unsigned value, 0 .. 2^32 - 1. */
    public long value() {
        return Integer.toUnsignedLong(bits);
    }

    /** False for 0, which our profile reads as "not assigned yet". */
    public boolean isAssigned() {
        return bits != 0;
    }

    @Override
    public int compareTo(Ssrc o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    /** {@code 0x} and eight lower-case hex digits. */
    @Override
    public String toString() {
        return "0x" + HexFormat.of().toHexDigits(bits); // as String.format("0x%08x"), without a Formatter per call
    }
}
