package org.kmsconf.mikey.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The growable-array writer writes what a stream writer wrote, across growth, and refuses values that do not fit. */
class WireWriterTest {

    @Test
    void bigEndianFieldsAcrossManyGrowthsMatchAStreamWriter() {
        Random rnd = new Random(7);
        WireWriter w = new WireWriter(1);
        ByteArrayOutputStream ref = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    int v = rnd.nextInt(256);
                    w.u8(v);
                    ref.write(v);
                }
                case 1 -> {
                    int v = rnd.nextInt(65536);
                    w.u16(v);
                    ref.write(v >>> 8);
                    ref.write(v);
                }
                case 2 -> {
                    int v = rnd.nextInt();
                    w.u32(v);
                    ref.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
                }
                case 3 -> {
                    long v = rnd.nextLong();
                    w.u64(v);
                    for (int s = 56; s >= 0; s -= 8) {
                        ref.write((int) (v >>> s));
                    }
                }
                default -> {
                    byte[] b = new byte[rnd.nextInt(300)];
                    rnd.nextBytes(b);
                    w.lenBytes16(b);
                    ref.write(b.length >>> 8);
                    ref.write(b.length);
                    ref.writeBytes(b);
                }
            }
        }
        assertThat(w.size()).isEqualTo(ref.size());
        assertThat(w.toByteArray()).isEqualTo(ref.toByteArray());
        assertThat(w.toByteArrayAndWipe()).isEqualTo(ref.toByteArray());
    }

    @Test
    void valuesThatDoNotFitAreRefused() {
        WireWriter w = new WireWriter();
        assertThatThrownBy(() -> w.u8(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u8(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u16(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.lenBytes8(new byte[256])).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.size()).isZero();
    }
}
