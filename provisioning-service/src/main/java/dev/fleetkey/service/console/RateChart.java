package dev.fleetkey.service.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn as inline SVG by the template: bar geometry is computed here so the page needs no
 * script and no inline style (the Content Security Policy allows neither).
 */
record RateChart(List<Placed> bars, long max, long total, int width, int height) {

    static final int BAR_WIDTH = 28;
    static final int GAP = 8;
    static final int PLOT_HEIGHT = 120;
    static final int LABEL_SPACE = 36;

    record Bar(String label, long count) {
    }

    /** A bar with its place in the SVG coordinate space. */
    record Placed(String label, long count, int x, int y, int barHeight, int labelX) {
    }

    static RateChart of(List<Bar> bars) {
        long max = bars.stream().mapToLong(Bar::count).max().orElse(0);
        long total = bars.stream().mapToLong(Bar::count).sum();
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int h = max == 0 ? 0 : (int) Math.max(bar.count() > 0 ? 2 : 0, Math.round((double) bar.count() / max * PLOT_HEIGHT));
            int x = GAP + i * (BAR_WIDTH + GAP);
            placed.add(new Placed(bar.label(), bar.count(), x, 16 + PLOT_HEIGHT - h, h, x + BAR_WIDTH / 2));
        }
        int width = GAP + bars.size() * (BAR_WIDTH + GAP);
        return new RateChart(placed, max, total, width, 16 + PLOT_HEIGHT + LABEL_SPACE);
    }

    public int baseline() {
        return 16 + PLOT_HEIGHT;
    }
}
