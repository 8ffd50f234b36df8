package org.kmsconf.app.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kmsconf.app.config.SipOptions;
import org.kmsconf.app.config.Verbosity;
import org.kmsconf.app.keylog.KeyLogFile;
import org.kmsconf.app.trace.Ladder;
import org.kmsconf.sip.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmsconf demo}: every party on loopback, the five flows of the TR, media through the focus, asserted. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The whole system on loopback: all five flows of the TR, media, asserted.",
        description = {
            "Runs, on loopback, a KMS, a conference server (factory",
            "sip:factory.conference1@operator, foci sip:focus{N}.conference1@operator)",
            "and user agents alice (creator/owner), bob, carol, dave and an intruder",
            "mallory; runs the five flows of TR 33.829 Figure 5.3.3.3.2-1, an update of",
            "the allowed set and refusals, then SRTP media through the focus. Prints a",
            "ladder of every step and a per-leg media summary.",
            "Exit status 0 only if every step did what the TR says, 1 otherwise.",
            ""
        })
public final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--transport", paramLabel = "udp|tcp", defaultValue = "udp",
            description = "SIP transport between the parties (default ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--keylog", paramLabel = "FILE",
            description = "DEBUGGING ONLY: write every PSK and SRTP master key/salt to FILE (docs/demo.md key-log "
                    + "format), to decrypt a capture. Off by default.")
    Path keylog;

    @Option(names = "--tone-seconds", paramLabel = "S", defaultValue = "2",
            description = "How long each participant sends its tone (default ${DEFAULT-VALUE} s, at most 10).")
    double toneSeconds;

    @Mixin
    Verbosity verbosity = new Verbosity();

    @Override
    public Integer call() throws Exception {
        verbosity.apply();
        if (!verbosity.verbose()
                && LoggerFactory.getLogger("org.kmsconf.kms.audit") instanceof ch.qos.logback.classic.Logger audit) {
            // The demo's refusals are deliberate and shown in the ladder; the KMS audit would repeat them as WARN.
            audit.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        String t = SipOptions.transport(transport);
        if (!(toneSeconds > 0 && toneSeconds <= 10)) {
            throw new IllegalArgumentException("--tone-seconds must be in (0, 10]");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = Instant.now();
        KeyLogFile keyLog = null;
        if (keylog != null) {
            keyLog = KeyLogFile.create(keylog);
            err.println("kmsconf demo: *** --keylog: writing PSKs and SRTP master keys to " + keylog
                    + " — FOR DEBUGGING ONLY, anyone holding that file can decrypt this run's media ***");
            err.flush();
        }
        EventRecorder recorder = new EventRecorder();
        Ladder ladder = new Ladder(start, out);
        StepRunner steps = new StepRunner(recorder, ladder, out, 20_000);
        out.println("kmsconf demo: TR 33.829 clause 5.3.3 (KMS-based conferencing, MIKEY-TICKET mode 1 with key "
                + "forking) on loopback, SIP over " + t.toUpperCase(Locale.ROOT));
        out.flush();
        boolean ok;
        try (DemoWorld world = DemoWorld.start(t, Demo.USERS, Demo.AGENTS, recorder, keyLog)) {
            printParties(out, world);
            ok = new Demo(world, recorder, steps, out, toneSeconds).run();
            int n = steps.results().size();
            long failed = steps.results().stream().filter(r -> !r.passed()).count();
            out.println();
            double secs = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            if (ok) {
                out.printf(Locale.ROOT, "✓ all %d steps did what TR 33.829 clause 5.3.3 says (%.1f s)%n", n, secs);
            } else {
                out.printf(Locale.ROOT, "✗ %d of %d steps failed:%n", failed, n);
                steps.results().stream().filter(r -> !r.passed())
                        .forEach(r -> out.println("    ✗ " + r.title() + ": " + r.text()));
            }
            out.flush();
            LOG.info("stopping every party");
        } finally {
            LOG.info("all parties stopped, {} ms after the start", Duration.between(start, Instant.now()).toMillis());
            steps.close();
            if (keyLog != null) {
                keyLog.close();
            }
        }
        return ok ? 0 : 1;
    }

    private static void printParties(PrintWriter out, DemoWorld world) {
        out.println();
        out.println("  KMS                " + world.kmsEndpoint() + "  (identity " + world.kms().kmsIdentity()
                + ", H2 store in a temporary directory)");
        out.println("  conference system  " + DemoWorld.FACTORY + " + " + DemoWorld.FOCUS_PATTERN + "  at "
                + world.server().contact(world.transport()));
        for (String u : Demo.AGENTS) {
            out.println(String.format("  %-18s %s  at %s", u, Directory.normalise(DemoWorld.uri(u)),
                    world.ue(u).contact(world.transport())));
        }
        out.println("  user agents answer a focus's call-out and an authenticated REFER: " + DemoWorld.ANSWER
                + "  (kmsconf ue --answer always|never|ask; a refusal is 603 Decline)");
        out.flush();
    }
}
