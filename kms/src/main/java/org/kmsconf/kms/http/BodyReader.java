package org.kmsconf.kms.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while it arrives: chunks are taken as they come and, when none is
 * there, the reader asks to be called back ({@link Request#demand}). A slow body therefore costs a connection (bounded
 * per source and in time by {@link ConnectionGuard}), never one of the server's threads. Keeps at most {@code max}
 * bytes; beyond that it only counts (and throws away) up to {@code drainLimit} bytes, so a client still sending can
 * read the refusal instead of a reset.
 *
 * <p>A body that announces its length (as every MIKEY message from a client does) is read into one array of exactly
 * that size, which becomes the result: no 8 KiB staging buffer per request, and no copy at the end.
 */
final class BodyReader implements Runnable {
    /** What became of the body. */
    interface Done {
        /**
         * @param body the body if it fit in {@code max} bytes, else null
         * @param complete whether the body was read to its end (false: too large to drain, or the read failed)
         * @param failure the read failure, or null
         */
        void done(byte[] body, boolean complete, Throwable failure);
    }

    /** First capacity for a body of unknown length (chunked); it doubles as needed, up to {@code max}. */
    static final int UNKNOWN_LENGTH_START = 128;

    private final Request request;
    private final int max;
    private final long drainLimit;
    private final Done done;
    private byte[] kept;
    private int keptLength;
    private long total;
    private boolean tooLarge;

    private BodyReader(Request request, int max, long drainLimit, Done done) {
        this.request = request;
        this.max = max;
        this.drainLimit = drainLimit;
        this.done = done;
        long announced = request.getLength();
        this.kept = new byte[announced >= 0 && announced <= max ? (int) announced
                : Math.min(Math.max(max, 0), UNKNOWN_LENGTH_START)];
    }

    /** Starts reading; {@code done} is called exactly once, on whatever thread the last chunk arrives. */
    static void read(Request request, int max, long drainLimit, Done done) {
        new BodyReader(request, max, drainLimit, done).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.done(null, false, chunk.getFailure());
                return;
            }
            ByteBuffer b = chunk.getByteBuffer();
            int n = b.remaining();
            total += n;
            if (!tooLarge && total > max) {
                tooLarge = true;
            }
            if (!tooLarge && n > 0) {
                if (keptLength + n > kept.length) {
                    kept = Arrays.copyOf(kept, Math.min(max, Math.max(keptLength + n, 2 * kept.length)));
                }
                b.get(kept, keptLength, n);
                keptLength += n;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                byte[] body = tooLarge ? null : keptLength == kept.length ? kept : Arrays.copyOf(kept, keptLength);
                done.done(body, true, null);
                return;
            }
            if (tooLarge && total > drainLimit) {
                done.done(null, false, null);
                return;
            }
        }
    }
}
