package org.kmsconf.bench.media;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.kmsconf.bench.media.RelayLoadDriver.Result;
import org.kmsconf.media.relay.RelayMode;

/** A small hand-written SVG of the relay results: two panels, both modes, conference size on the x axis. */
final class RelayCostPlot {
    private static final int PANEL_W = 420;
    private static final int PANEL_H = 300;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String PER_LEG = "#c0392b";
    private static final String UNTOUCHED = "#2471a3";

    private RelayCostPlot() {
    }

    static String svg(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        int w = 2 * (LEFT + PANEL_W + 20);
        int h = TOP + PANEL_H + BOTTOM + 30;
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        panel(sb, results, 0, "Relay CPU per forwarded packet (µs)", r -> r.nanosPerForward() / 1000, 0, null);
        panel(sb, results, LEFT + PANEL_W + 20, "Packets forwarded per relay CPU-second (thousands)",
                r -> r.capacityPerCore() / 1000, 100, "target 100 k/s with re-encryption");
        int ly = TOP + PANEL_H + BOTTOM + 15;
        legend(sb, LEFT, ly, PER_LEG, "per-leg keys (decrypt + re-encrypt per receiver)");
        legend(sb, LEFT + 380, ly, UNTOUCHED, "no re-encryption (authenticate once, forward bytes)");
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void legend(StringBuilder sb, int x, int y, String colour, String text) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"3\"/>%n", x, y - 4, x + 25, y - 4, colour));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 32, y, esc(text)));
    }

    private static void panel(StringBuilder sb, List<Result> results, int x0, String title,
                              ToDoubleFunction<Result> metric, double reference, String referenceLabel) {
        List<Integer> sizes = results.stream().map(Result::participants).distinct().sorted().toList();
        double max = results.stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).max().orElse(1);
        double top = niceCeiling(max);
        int ox = x0 + LEFT;
        int oy = TOP + PANEL_H;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s"
                + "</text>%n", ox, TOP - 15, esc(title)));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                ox, oy, ox + PANEL_W, oy));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                ox, oy, ox, TOP));
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            int y = oy - (int) Math.round(PANEL_H * i / 5.0);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    ox, y, ox + PANEL_W, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    ox - 6, y + 4, top >= 100 ? String.format(Locale.ROOT, "%.0f", v) : fmt(v)));
        }
        if (referenceLabel != null && reference <= top) {
            int y = oy - (int) Math.round(PANEL_H * reference / top);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
                    + "stroke-dasharray=\"6,4\"/>%n", ox, y, ox + PANEL_W, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%s</text>%n",
                    ox + PANEL_W - 4, y - 6, esc(referenceLabel)));
        }
        for (int i = 0; i < sizes.size(); i++) {
            int x = xAt(ox, i, sizes.size());
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, oy + 18, sizes.get(i)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">participants</text>%n",
                ox + PANEL_W / 2, oy + 38));
        for (RelayMode mode : RelayMode.values()) {
            String colour = mode == RelayMode.PER_LEG_KEYS ? PER_LEG : UNTOUCHED;
            StringBuilder pts = new StringBuilder();
            for (Result r : results) {
                if (r.mode() != mode || Double.isNaN(metric.applyAsDouble(r))) {
                    continue;
                }
                int x = xAt(ox, sizes.indexOf(r.participants()), sizes.size());
                int y = oy - (int) Math.round(PANEL_H * metric.applyAsDouble(r) / top);
                pts.append(x).append(',').append(y).append(' ');
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"><title>%s N=%d: "
                        + "%s</title></circle>%n", x, y, colour, mode, r.participants(),
                        fmt(metric.applyAsDouble(r))));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", pts.toString().trim(), colour));
        }
    }

    private static int xAt(int ox, int i, int count) {
        return ox + (int) Math.round(PANEL_W * (i + 0.5) / count);
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
