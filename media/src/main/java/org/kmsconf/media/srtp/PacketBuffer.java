package org.kmsconf.media.srtp;

/**
 * A packet in a byte array: {@code array[offset .. offset+length)}. Protecting appends the authentication tag
 * (and for SRTCP the E flag and index), so the array must have that room after the packet; {@link #allocate(int)}
 * leaves {@link #SPARE} bytes for it. Mutable and not thread-safe: one buffer per thread.
 */
public final class PacketBuffer {
    /** Room the largest transform appends: SRTCP E||index (4) + a 10-byte tag, rounded up. */
    public static final int SPARE = 16;

    private final byte[] array;
    private int offset;
    private int length;

    public PacketBuffer(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IllegalArgumentException("offset/length outside the array");
        }
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A buffer able to hold a packet of {@code maxPacket} bytes plus the SRTP/SRTCP trailer. */
    public static PacketBuffer allocate(int maxPacket) {
        return new PacketBuffer(new byte[maxPacket + SPARE], 0, 0);
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Bytes available after the packet. */
    public int spare() {
        return array.length - offset - length;
    }

    public PacketBuffer set(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IllegalArgumentException("offset/length outside the array");
        }
        this.offset = offset;
        this.length = length;
        return this;
    }

    public PacketBuffer length(int length) {
        return set(offset, length);
    }

    /** Copies {@code len} bytes from {@code src} to the start of this buffer (offset 0). */
    public PacketBuffer copyFrom(byte[] src, int srcOff, int len) {
        System.arraycopy(src, srcOff, array, 0, len);
        return set(0, len);
    }

    /** A copy of the packet bytes. */
    public byte[] toByteArray() {
        byte[] out = new byte[length];
        System.arraycopy(array, offset, out, 0, length);
        return out;
    }

    @Override
    public String toString() {
        return "PacketBuffer[length=" + length + "]";
    }
}
