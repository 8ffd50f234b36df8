package org.kmsconf.media.rtp;

/** A sine tone in PCMU, continuous across frames. */
public final class ToneSource implements PayloadSource {
    private final double step;
    private final double amplitude;
    private long n;

    /** @param hertz tone frequency; @param amplitude 0..1 of full scale */
    public ToneSource(double hertz, double amplitude) {
        if (hertz <= 0 || hertz >= SAMPLE_RATE / 2.0 || amplitude < 0 || amplitude > 1) {
            throw new IllegalArgumentException("tone must be below 4000 Hz with amplitude 0..1");
        }
        this.step = 2 * Math.PI * hertz / SAMPLE_RATE;
        this.amplitude = amplitude * 32767;
    }

    /** 440 Hz at half scale. */
    public ToneSource() {
        this(440, 0.5);
    }

    @Override
    public void nextFrame(byte[] dst, int off) {
        for (int i = 0; i < FRAME_SAMPLES; i++, n++) {
            dst[off + i] = G711.linearToUlaw((int) Math.round(amplitude * Math.sin(step * n)));
        }
    }
}
