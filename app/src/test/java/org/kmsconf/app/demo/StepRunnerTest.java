package org.kmsconf.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.trace.FlowEvent;

class StepRunnerTest {

    @Test
    void printsTheEventsOfEachStepAndAPassOrFailLine() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        EventRecorder rec = new EventRecorder();
        StepRunner runner = new StepRunner(rec, new Ladder(Instant.now(), out), out, 2000);
        boolean ok = runner.run("flow 0: warm-up", mark -> {
            rec.onEvent(new FlowEvent.Check(Instant.now(), "sip:a@x", Rule.CALLER_ALLOWED, true, ""));
            StepFailed.check(rec.since(mark, FlowEvent.Check.class).size() == 1, "no check seen");
            return "one check seen";
        });
        boolean bad = runner.run("flow 9: refused", mark -> {
            throw new StepFailed("expected a 403, got 200");
        });
        boolean hung = new StepRunner(rec, new Ladder(Instant.now(), out), out, 200).run("hang", mark -> {
            Thread.sleep(10_000);
            return "never";
        });
        runner.close();
        assertThat(ok).isTrue();
        assertThat(bad).isFalse();
        assertThat(hung).isFalse();
        assertThat(runner.allPassed()).isFalse();
        assertThat(runner.results()).extracting(StepRunner.Result::passed).containsExactly(true, false);
        List<String> lines = text.toString().lines().toList();
        assertThat(lines).contains("✓ flow 0: one check seen", "✗ flow 9: expected a 403, got 200",
                "✗ hang: no outcome within 200 ms");
        assertThat(lines).anyMatch(l -> l.endsWith("✓ a  caller-allowed"));
    }
}
