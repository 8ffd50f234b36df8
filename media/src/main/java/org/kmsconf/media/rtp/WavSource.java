package org.kmsconf.media.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Frames from a WAV file: mono 8 kHz, either 16-bit PCM (format 1, encoded to µ-law here) or µ-law (format 7).
 * Loops at the end of the file.
 */
public final class WavSource implements PayloadSource {
    private final byte[] ulaw;
    private int pos;

    private WavSource(byte[] ulaw) {
        this.ulaw = ulaw;
    }

    /** @throws IOException if the file cannot be read or is not a supported WAV (one-line reason) */
    public static WavSource open(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF" "WAVE"
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int p = 12;
        while (p + 8 <= b.limit()) {
            int id = b.getInt(p);
            int size = b.getInt(p + 4);
            int body = p + 8;
            if (size < 0 || body + size > b.limit()) {
                throw new IOException(file + ": truncated WAV chunk");
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
            } else if (id == 0x61746164) { // "data"
                if (channels != 1 || rate != SAMPLE_RATE) {
                    throw new IOException(file + ": need mono 8000 Hz, got " + channels + " channel(s) at " + rate + " Hz");
                }
                if (format == 7 && bits == 8) {
                    byte[] u = new byte[size];
                    b.get(body, u);
                    return checked(file, u);
                }
                if (format == 1 && bits == 16) {
                    byte[] u = new byte[size / 2];
                    for (int i = 0; i < u.length; i++) {
                        u[i] = G711.linearToUlaw(b.getShort(body + 2 * i));
                    }
                    return checked(file, u);
                }
                throw new IOException(file + ": need 16-bit PCM or 8-bit µ-law, got format " + format + "/" + bits + " bit");
            }
            p = body + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    private static WavSource checked(Path file, byte[] ulaw) throws IOException {
        if (ulaw.length < FRAME_SAMPLES) {
            throw new IOException(file + ": shorter than one 20 ms frame");
        }
        return new WavSource(ulaw);
    }

    @Override
    public void nextFrame(byte[] dst, int off) {
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            dst[off + i] = ulaw[pos];
            pos = (pos + 1) % ulaw.length;
        }
    }
}
