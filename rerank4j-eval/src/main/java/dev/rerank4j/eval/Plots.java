package dev.rerank4j.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small self-contained SVG charts, so a report needs no plotting library or browser script. */
final class Plots {
    private static final int W = 480;
    private static final int H = 320;
    private static final int PAD = 50;

    private Plots() {
    }

    /** NDCG@10 against rerank depth; depth 0 (the first stage alone) is drawn as a dashed baseline. */
    static String depthCurve(List<DepthPoint> points) {
        double lo = points.stream().mapToDouble(DepthPoint::ndcg10).min().orElse(0);
        double hi = points.stream().mapToDouble(DepthPoint::ndcg10).max().orElse(1);
        double margin = Math.max(0.01, (hi - lo) * 0.15);
        lo = Math.max(0, lo - margin);
        hi = Math.min(1, hi + margin);
        List<DepthPoint> curve = points.stream().filter(p -> p.depth() > 0).toList();
        int maxDepth = curve.stream().mapToInt(DepthPoint::depth).max().orElse(1);
        StringBuilder sb = open("NDCG@10 against rerank depth");
        axes(sb, "rerank depth (top-k)", "NDCG@10");
        yTicks(sb, lo, hi);
        double base = points.get(0).ndcg10();
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='gray' "
                + "stroke-dasharray='4 3'/>%n", PAD, y(base, lo, hi), W - PAD / 2, y(base, lo, hi)));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='10' fill='gray'>first stage %.4f"
                + "</text>%n", PAD + 4, y(base, lo, hi) - 4, base));
        StringBuilder path = new StringBuilder();
        for (DepthPoint p : curve) {
            double x = x(p.depth(), maxDepth);
            double yy = y(p.ndcg10(), lo, hi);
            path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, yy));
            sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='steelblue'/>%n", x, yy));
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%d"
                    + "</text>%n", x, H - PAD + 14, p.depth()));
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%.4f"
                    + "</text>%n", x, yy - 7, p.ndcg10()));
        }
        sb.append("<path d='").append(path).append("' fill='none' stroke='steelblue' stroke-width='2'/>\n");
        return sb.append("</svg>\n").toString();
    }

    /** One dot per query: the measure before (x) and after (y) reranking; above the diagonal is better. */
    static String perQuery(Map<String, Map<String, Double>> before, Map<String, Map<String, Double>> after,
            String measure) {
        StringBuilder sb = open(measure + " per query: first stage (x) against reranked (y)");
        axes(sb, "first stage " + measure, "reranked " + measure);
        yTicks(sb, 0, 1);
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%.2f"
                    + "</text>%n", x(v, 1), H - PAD + 14, v));
        }
        sb.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='gray' "
                + "stroke-dasharray='4 3'/>%n", x(0, 1), y(0, 0, 1), x(1, 1), y(1, 0, 1)));
        before.forEach((q, m) -> sb.append(String.format(Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='3' fill='steelblue' fill-opacity='0.4'><title>%s</title></circle>%n",
                x(m.get(measure), 1), y(after.get(q).get(measure), 0, 1), escape(q))));
        return sb.append("</svg>\n").toString();
    }

    private static final String[] COLOURS = {"#9e9e9e", "steelblue", "darkorange", "seagreen", "firebrick",
        "mediumpurple", "goldenrod"};

    /** Grouped bars: one group per dataset, one bar per system, values in [0, 1] drawn x 100 like the card. */
    static String bars(String title, List<String> groups, List<String> series, double[][] values) {
        int barWidth = 12;
        int groupWidth = barWidth * series.size() + 14;
        int width = Math.max(W, PAD * 2 + groupWidth * groups.size());
        int legend = 16 * series.size();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' "
                + "width='%d' height='%d' font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>"
                + "%n<text x='%d' y='20' font-size='13' text-anchor='middle'>%s</text>%n", width, H + legend + 40,
                width / 2, escape(title)));
        int base = H - PAD;
        double scale = H - 1.5 * PAD - 10;
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", PAD, base,
                width - PAD / 2, base));
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%.0f</text>"
                    + "%n", PAD - 4, base - scale * v + 3, v * 100));
        }
        for (int g = 0; g < groups.size(); g++) {
            int x0 = PAD + 8 + g * groupWidth;
            for (int s = 0; s < series.size(); s++) {
                double v = Math.max(0, Math.min(1, values[g][s]));
                sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%.1f' width='%d' height='%.1f' fill='%s'>"
                        + "<title>%s %s: %.2f</title></rect>%n", x0 + s * barWidth, base - scale * v, barWidth - 1,
                        scale * v, COLOURS[s % COLOURS.length], escape(groups.get(g)), escape(series.get(s)),
                        values[g][s] * 100));
            }
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='10' text-anchor='end' "
                    + "transform='rotate(-35 %d %d)'>%s</text>%n", x0 + groupWidth / 2, base + 14, x0 + groupWidth / 2,
                    base + 14, escape(groups.get(g))));
        }
        for (int s = 0; s < series.size(); s++) {
            int y = H + 30 + 16 * s;
            sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' "
                    + "y='%d' font-size='11'>%s</text>%n", PAD, y, COLOURS[s % COLOURS.length], PAD + 16, y + 9,
                    escape(series.get(s))));
        }
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='13' text-anchor='middle'>%s</text>%n",
                W / 2, escape(title)));
        return sb;
    }

    private static void axes(StringBuilder sb, String xLabel, String yLabel) {
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
                PAD, H - PAD, W - PAD / 2, H - PAD));
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
                PAD, PAD / 2 + 10, PAD, H - PAD));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
                (W + PAD / 2) / 2, H - 12, escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x='14' y='%d' font-size='11' text-anchor='middle' "
                + "transform='rotate(-90 14 %d)'>%s</text>%n", H / 2, H / 2, escape(yLabel)));
    }

    private static void yTicks(StringBuilder sb, double lo, double hi) {
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%.3f"
                    + "</text>%n", PAD - 4, y(v, lo, hi) + 3, v));
        }
    }

    private static double x(double v, double max) {
        return PAD + (W - 1.5 * PAD) * v / max;
    }

    private static double y(double v, double lo, double hi) {
        return H - PAD - (H - 1.5 * PAD - 10) * (v - lo) / (hi - lo);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
