package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void oneRunShowsEachTargetsSingleValueAndNoSpread() {
        String md = Report.render(List.of(Comparisons.run().throughput(Workload.WRITE_ONLY, 32, 590, 1000).build()), "launch/bench",
                "chart.png");

        assertThat(md).contains("## Targets", "| target | measured | met |",
                "| write-only throughput at 32 threads ≥ 1.0× ZooKeeper (aim 1.5×) | 0.59× | **no** |",
                "| workload C throughput at 32 threads ≥ 2× ZooKeeper | 1.00× | **no** |",
                "| load phase (inserts, 32 threads) throughput ≥ 1.0× ZooKeeper's | 1.00× | yes |");
        assertThat(md).doesNotContain("Spread over", "- Runs:", "| min | median | max |");
    }

    @Test
    void severalRunsShowTheSpreadAndJudgeTheTargetsByTheMedian() {
        List<BenchResults> runs = List.of(
                Comparisons.run().throughput(Workload.WRITE_ONLY, 32, 1300, 1000).build(),
                Comparisons.run().throughput(Workload.WRITE_ONLY, 32, 900, 1000).build(),
                Comparisons.run().throughput(Workload.WRITE_ONLY, 32, 1100, 1000).build());
        String md = Report.render(runs, "launch/bench --runs 3", "chart.png");

        assertThat(md).contains("(3 runs)", "- Runs: 3", "## Spread over 3 runs", "| target | min | median | max | met |",
                "| write-only throughput at 32 threads ≥ 1.0× ZooKeeper (aim 1.5×) | 0.90× | 1.10× | 1.30× | yes |",
                "| throughput, write-only, 32 threads | 0.90 | 1.10 | 1.30 |",
                "| Chorus PUT p50 / protocol bound |");
        assertThat(md.indexOf("## Targets")).isLessThan(md.indexOf("## Spread over 3 runs"));
        assertThat(md.indexOf("## Spread over 3 runs")).isLessThan(md.indexOf("## Workload A"));
    }

    @Test
    void aTargetWhoseRunsWereNotMadeSaysNotRun() {
        String one = Report.render(List.of(Comparisons.run().threads(1, 8).build()), "launch/bench", "chart.png");
        String two = Report.render(List.of(Comparisons.run().threads(1, 8).build(), Comparisons.run().threads(1, 8).build()),
                "launch/bench", "chart.png");

        assertThat(one).contains("| workload B throughput at 32 threads ≥ 2× ZooKeeper | not run | - |");
        assertThat(two).contains("| workload B throughput at 32 threads ≥ 2× ZooKeeper | not run | | | - |");
    }

    @Test
    void theFloorSectionReportsThePutAgainstFloorAndBoundWithoutJudgingIt() {
        String receiver = Report.render(List.of(Comparisons.run().put(1.3, 1.0).build()), "launch/bench", "chart.png");
        String leader = Report.render(List.of(Comparisons.run().coordination(Coordination.LEADER).build()), "launch/bench",
                "chart.png");

        assertThat(receiver).contains("| PUT p50 / floor | **2.60** |",
                "| protocol bound = 3 round trips (the client's call, LOCK at the lock primary, the PREPARE round) + that | 0.450 |",
                "| PUT p50 / protocol bound (Chorus's own overhead) | **2.89** |", "answers at the commit point");
        assertThat(receiver).doesNotContain("target ≤ 1.5", "1.5× floor");
        assertThat(leader).contains("3 round trips (the client's call, the forward to the leader, the PREPARE round)");
    }
}
