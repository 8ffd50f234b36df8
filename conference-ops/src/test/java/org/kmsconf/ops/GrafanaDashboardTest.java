package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;

/**
 * docs/grafana/kmsconf-conference.json plots series that exist: every {@code conference_*} and {@code kms_*} name in
 * its queries is in a real scrape of a conference server (and of its KMS) that ran a conference.
 */
class GrafanaDashboardTest {
    private static final Pattern SERIES = Pattern.compile("\\b((?:conference|kms)_[a-z_]+)");

    @TempDir
    Path dir;

    @Test
    void everySeriesTheDashboardPlotsIsExported() throws Exception {
        JsonNode dash = Json.MAPPER.readTree(Path.of("..", "docs", "grafana", "kmsconf-conference.json").toFile());
        Set<String> plotted = new TreeSet<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                Matcher m = SERIES.matcher(t.path("expr").asText());
                while (m.find()) {
                    plotted.add(m.group(1));
                }
            }
        }
        assertThat(plotted).contains("conference_joins_total", "conference_refusals_total",
                "conference_relay_packets_dropped_total", "conference_kms_exchange_seconds_bucket",
                "conference_sip_responses_total", "conference_sip_overload_refusals_total", "kms_requests_total");
        try (OpsWorld w = new OpsWorld(dir)) {
            UserAgent alice = w.ue("alice");
            w.ue("bob");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of()).focusUri();
            Call a = alice.join(focus);
            w.rtp(a).send(new ToneSource(440, 0.2), 5, Duration.ofMillis(5));
            alice.updateAllowed(focus, List.of("sip:bob@operator"), UserAgent.UpdateMethod.UPDATE);
            w.ops.audit().record("test", "127.0.0.1", "end", focus, "DONE", "");
            w.ops.metrics().adminAction("end", "done");
            UserAgent mallory = w.ue("mallory");
            try {
                mallory.join(focus);
            } catch (org.kmsconf.sip.FlowFailedException refused) {
                // counted as a refusal
            }
            alice.leave(focus);
            // the focus ends the conference after it answered alice's BYE: wait for that, not for the 200
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!w.adminClient().metrics().contains("conference_ended_total ") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String scrape = w.adminClient().metrics() + w.kms.metrics().scrape();
            for (String series : plotted) {
                assertThat(scrape).as("a series the dashboard plots").containsPattern("(?m)^" + series + "[{ ]");
            }
        }
    }
}
