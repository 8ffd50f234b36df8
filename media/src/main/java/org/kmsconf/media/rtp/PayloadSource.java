package org.kmsconf.media.rtp;

/** Where an {@link RtpEndpoint} takes its audio frames from: PCMU (payload type 0), 8 kHz, 20 ms = 160 bytes. */
public interface PayloadSource {
    int PCMU = 0;
    int SAMPLE_RATE = 8000;
    int FRAME_SAMPLES = 160;

    /** Writes the next 160-byte frame at {@code dst[off]}. */
    void nextFrame(byte[] dst, int off);
}
