package org.kmsconf.kms.cli;

import java.io.InputStream;
import java.io.PrintStream;
import org.kmsconf.kms.store.KmsStore;

/**
 * Where an admin command runs: in the CLI's own process on a store it opens itself (the KMS is not running), or inside
 * a running KMS on behalf of an authenticated admin-socket client ({@link #serving}): then the command works on the
 * KMS's open store and writes to the client's output, read from the client's input.
 */
public final class AdminContext {
    private record Serving(KmsStore store, PrintStream out, PrintStream err, InputStream in) {
    }

    private static final ThreadLocal<Serving> SERVING = new ThreadLocal<>();

    private AdminContext() {
    }

    /** Runs {@code body} as the admin interface of a running KMS (this thread only). */
    public static <T> T serve(KmsStore store, PrintStream out, PrintStream err, InputStream in,
            java.util.concurrent.Callable<T> body) throws Exception {
        SERVING.set(new Serving(store, out, err, in));
        try {
            return body.call();
        } finally {
            SERVING.remove();
        }
    }

    static boolean serving() {
        return SERVING.get() != null;
    }

    /** The running KMS's store (its {@code close()} does nothing here), or null when not serving. */
    static KmsStore servingStore() {
        Serving s = SERVING.get();
        return s == null ? null : s.store.borrowed();
    }

    static PrintStream out() {
        Serving s = SERVING.get();
        return s == null ? System.out : s.out;
    }

    static PrintStream err() {
        Serving s = SERVING.get();
        return s == null ? System.err : s.err;
    }

    static InputStream in() {
        Serving s = SERVING.get();
        return s == null ? System.in : s.in;
    }
}
