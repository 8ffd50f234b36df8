package org.kmsconf.app.ue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kmsconf.sip.ue.AnswerPolicy.Question;

/**
 * {@code --answer ask}: asks on the terminal whether to answer a call-out or follow a REFER. The user types y or n;
 * no answer within the time a SIP transaction can wait is a no (603 Decline), as is the end of the input. One reader
 * thread reads the lines, so a question never blocks the next one.
 */
final class TerminalQuestion implements Predicate<Question> {
    private final PrintWriter out;
    private final Duration wait;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);

    TerminalQuestion(PrintWriter out, InputStream in, Duration wait) {
        this.out = out;
        this.wait = wait;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // no terminal: every question is answered no
            }
        }, "answer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public synchronized boolean test(Question q) {
        lines.clear();
        out.println("? " + q + " — answer? [y/N] (" + wait.toSeconds() + " s)");
        out.flush();
        try {
            String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            boolean yes = line != null && line.strip().toLowerCase(Locale.ROOT).startsWith("y");
            out.println(yes ? "  answered" : "  declined (603)");
            out.flush();
            return yes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
