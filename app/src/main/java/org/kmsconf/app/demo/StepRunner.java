package org.kmsconf.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kmsconf.app.trace.Ladder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the demo's steps one after the other. Each step acts, then asserts what the seed says must have happened;
 * the runner prints the ladder of the events the step caused and one result line:
 * {@code ✓ <title>: <what was shown>} or {@code ✗ <title>: <what went wrong>}. A step that hangs fails after its
 * time limit instead of hanging the demo. The demo succeeds only if every step passed.
 */
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    /** What a step does; returns the one-line description of what it showed, or throws {@link StepFailed}. */
    @FunctionalInterface
    public interface Step {
        String run(int mark) throws Exception;
    }

    /** The outcome of one step. */
    public record Result(String title, boolean passed, String text) { }

    private final EventRecorder recorder;
    private final Ladder ladder;
    private final PrintWriter out;
    private final long timeoutMillis;
    private final List<Result> results = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-step");
        t.setDaemon(true);
        return t;
    });

    public StepRunner(EventRecorder recorder, Ladder ladder, PrintWriter out, long timeoutMillis) {
        this.recorder = recorder;
        this.ladder = ladder;
        this.out = out;
        this.timeoutMillis = timeoutMillis;
    }

    /** Runs one step titled {@code label: title}; see {@link #run(String, String, Step)}. */
    public boolean run(String title, Step step) {
        int colon = title.indexOf(": ");
        return colon < 0 ? run(title, "", step) : run(title.substring(0, colon), title.substring(colon + 2), step);
    }

    /**
     * Runs one step and prints its heading ({@code ── label: what ──}), its ladder and its result line
     * ({@code ✓ label: what it showed}); returns whether it passed.
     */
    public boolean run(String label, String what, Step step) {
        String title = what.isEmpty() ? label : label + ": " + what;
        out.println();
        out.println("── " + title + " " + "─".repeat(Math.max(3, 76 - title.length())));
        out.flush();
        int mark = recorder.mark();
        Result result;
        Future<String> f = executor.submit(() -> step.run(mark));
        try {
            String shown = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            result = new Result(label, true, shown);
        } catch (TimeoutException e) {
            f.cancel(true);
            result = new Result(label, false, "no outcome within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.debug("step '{}' failed", title, cause);
            String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            result = new Result(label, false,
                    cause instanceof StepFailed ? msg : cause.getClass().getSimpleName() + ": " + msg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new Result(label, false, "interrupted");
        }
        settle(recorder);
        ladder.print(recorder.since(mark));
        out.println((result.passed() ? "✓ " : "✗ ") + label + ": " + result.text());
        out.flush();
        results.add(result);
        return result.passed();
    }

    /** Lets the events a step caused arrive (asynchronous parties): until 100 ms pass without one, 1 s at most. */
    private static void settle(EventRecorder recorder) {
        long end = System.currentTimeMillis() + 1000;
        int n = recorder.mark();
        while (System.currentTimeMillis() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int now = recorder.mark();
            if (now == n) {
                return;
            }
            n = now;
        }
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    public boolean allPassed() {
        return !results.isEmpty() && results.stream().allMatch(Result::passed);
    }

    public void close() {
        executor.shutdownNow();
    }
}
