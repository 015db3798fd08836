package dev.fleetkey.service.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The provisioning chart's bar geometry. */
class RateChartTest {

    @Test
    void theBusiestDayFillsThePlotAndOthersScaleToIt() {
        RateChart chart = RateChart.of(List.of(new RateChart.Bar("a", 0), new RateChart.Bar("b", 50),
                new RateChart.Bar("c", 100)));
        assertThat(chart.bars()).extracting(RateChart.Placed::barHeight).containsExactly(0, 60, 120);
        assertThat(chart.bars()).allSatisfy(b -> assertThat(b.y() + b.barHeight()).isEqualTo(chart.baseline()));
        assertThat(chart.total()).isEqualTo(150);
    }

    @Test
    void aSingleDeviceOnABusyChartStaysVisible() {
        RateChart chart = RateChart.of(List.of(new RateChart.Bar("a", 1), new RateChart.Bar("b", 10_000)));
        assertThat(chart.bars().get(0).barHeight()).isPositive();
    }

    @Test
    void barsDoNotOverlap() {
        RateChart chart = RateChart.of(List.of(new RateChart.Bar("a", 1), new RateChart.Bar("b", 2), new RateChart.Bar("c", 3)));
        for (int i = 1; i < chart.bars().size(); i++) {
            assertThat(chart.bars().get(i).x()).isGreaterThanOrEqualTo(chart.bars().get(i - 1).x() + RateChart.BAR_WIDTH);
        }
        assertThat(chart.width()).isGreaterThan(chart.bars().get(2).x() + RateChart.BAR_WIDTH - 1);
    }
}
