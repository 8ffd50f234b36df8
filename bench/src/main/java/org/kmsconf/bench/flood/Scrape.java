package org.kmsconf.bench.flood;

import java.util.ArrayList;
import java.util.List;

/** Reading a server's Prometheus text scrape ({@code GET /metrics}) in a flood or load driver's report. */
public final class Scrape {
    private Scrape() {
    }

    /**
     * The sum of the series of {@code nameAndLabels} in {@code scrape}, e.g.
     * {@code kms_refusals_total{refusal="MAC_FAILED"}}: every sample line of that name that carries each given label
     * (others may be there too); 0 when none does.
     */
    public static double sum(String scrape, String nameAndLabels) {
        int brace = nameAndLabels.indexOf('{');
        String name = brace < 0 ? nameAndLabels : nameAndLabels.substring(0, brace);
        List<String> labels = new ArrayList<>();
        if (brace >= 0) {
            for (String l : nameAndLabels.substring(brace + 1, nameAndLabels.length() - 1).split(",")) {
                labels.add(l.strip());
            }
        }
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            if (labels.stream().allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
