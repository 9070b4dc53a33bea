package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static Targets.Verdict verdict(String labelStart, List<BenchResults> runs) {
        return Targets.judge(runs).stream().filter(v -> v.target().label().startsWith(labelStart)).findFirst().orElseThrow();
    }

    private static List<BenchResults> writeOnlyAt32(long... chorusOps) {
        return java.util.Arrays.stream(chorusOps)
                .mapToObj(c -> Comparisons.run().throughput(Workload.WRITE_ONLY, 32, c, 1000).build()).toList();
    }

    @Test
    void theTargetsAreTheIssuesEightInTheReportsOrder() {
        assertThat(Targets.ALL).extracting(Targets.Target::label).containsExactly(
                "write-only throughput at 8 threads ≥ 1.0× ZooKeeper",
                "write-only throughput at 32 threads ≥ 1.0× ZooKeeper (aim 1.5×)",
                "workload A throughput at 8 threads ≥ 1.0× ZooKeeper",
                "workload A throughput at 32 threads ≥ 1.0× ZooKeeper",
                "workload B throughput at 32 threads ≥ 2× ZooKeeper",
                "workload C throughput at 32 threads ≥ 2× ZooKeeper",
                "single-client PUT p50 ≤ ZooKeeper's single-client write p50 (write-only, 1 thread, UPDATE p50 ratio ≤ 1.0)",
                "load phase (inserts, 32 threads) throughput ≥ 1.0× ZooKeeper's");
    }

    @Test
    void oneRunIsJudgedByItsOwnRatio() {
        Targets.Verdict below = verdict("write-only throughput at 32", writeOnlyAt32(590));
        Targets.Verdict atIt = verdict("write-only throughput at 32", writeOnlyAt32(1000));

        assertThat(below.wasRun()).isTrue();
        assertThat(below.runs()).isEqualTo(1);
        assertThat(below.spread().median()).isEqualTo(0.59);
        assertThat(below.met()).isFalse();
        assertThat(atIt.met()).as("exactly 1.0× meets ≥ 1.0×").isTrue();
    }

    @Test
    void severalRunsAreJudgedByTheMedianNotByTheBestOrTheWorst() {
        Targets.Verdict medianMeets = verdict("write-only throughput at 32", writeOnlyAt32(1300, 900, 1100));
        Targets.Verdict onlyTheBestMeets = verdict("write-only throughput at 32", writeOnlyAt32(800, 1600, 950));

        assertThat(medianMeets.spread()).isEqualTo(new Spread(0.9, 1.1, 1.3, 3));
        assertThat(medianMeets.met()).isTrue();
        assertThat(onlyTheBestMeets.spread()).isEqualTo(new Spread(0.8, 0.95, 1.6, 3));
        assertThat(onlyTheBestMeets.met()).isFalse();
    }

    @Test
    void twoRunsAreJudgedByTheMeanOfTheirRatios() {
        assertThat(verdict("write-only throughput at 32", writeOnlyAt32(900, 1100)).met()).isTrue();
        assertThat(verdict("write-only throughput at 32", writeOnlyAt32(900, 1090)).met()).isFalse();
    }

    @Test
    void eachThroughputTargetReadsItsOwnWorkloadAndThreadCount() {
        BenchResults r = Comparisons.run()
                .throughput(Workload.WRITE_ONLY, 8, 1200, 1000)
                .throughput(Workload.A, 8, 900, 1000)
                .throughput(Workload.A, 32, 1500, 1000)
                .throughput(Workload.B, 32, 1900, 1000)
                .throughput(Workload.C, 32, 3000, 1000)
                .build();
        List<BenchResults> one = List.of(r);

        assertThat(verdict("write-only throughput at 8", one).spread().median()).isEqualTo(1.2);
        assertThat(verdict("write-only throughput at 8", one).met()).isTrue();
        assertThat(verdict("workload A throughput at 8", one).met()).isFalse();
        assertThat(verdict("workload A throughput at 32", one).met()).isTrue();
        assertThat(verdict("workload B throughput at 32", one).met()).as("1.9× is short of 2×").isFalse();
        assertThat(verdict("workload C throughput at 32", one).met()).isTrue();
    }

    @Test
    void theSingleClientPutTargetIsMetAtOrBelowZooKeepersWriteP50() {
        UnaryOperator<Comparisons> faster = c -> c.put(0.8, 1.0);
        List<BenchResults> slowerThenFaster = List.of(Comparisons.run().put(1.5, 1.0).build(), faster.apply(Comparisons.run()).build(),
                Comparisons.run().put(0.9, 1.0).build());

        Targets.Verdict one = verdict("single-client PUT p50", List.of(faster.apply(Comparisons.run()).build()));
        Targets.Verdict equal = verdict("single-client PUT p50", List.of(Comparisons.run().put(1.0, 1.0).build()));
        Targets.Verdict three = verdict("single-client PUT p50", slowerThenFaster);

        assertThat(one.spread().median()).isCloseTo(0.8, offset(0.002));
        assertThat(one.met()).isTrue();
        assertThat(equal.met()).as("equal p50s meet ≤ 1.0").isTrue();
        assertThat(three.spread().median()).isCloseTo(0.9, offset(0.002));
        assertThat(three.spread().max()).isCloseTo(1.5, offset(0.002));
        assertThat(three.met()).isTrue();
        assertThat(verdict("single-client PUT p50", List.of(Comparisons.run().put(1.2, 1.0).build())).met()).isFalse();
    }

    @Test
    void theLoadTargetComparesTheLoadPhasesAt32Threads() {
        Targets.Verdict within = verdict("load phase", List.of(Comparisons.run().load(32, 1800, 1787).build()));
        Targets.Verdict behind = verdict("load phase", List.of(Comparisons.run().load(32, 914, 1787).build()));

        assertThat(within.met()).isTrue();
        assertThat(behind.spread().median()).isCloseTo(0.51, offset(0.01));
        assertThat(behind.met()).isFalse();
    }

    @Test
    void aWorkloadOrThreadCountThatWasNotRunIsNotRunAndNotMet() {
        List<BenchResults> noThirtyTwo = List.of(Comparisons.run().threads(1, 8).build());
        List<BenchResults> readsOnly = List.of(Comparisons.run().workloads(Workload.B, Workload.C).build());
        List<BenchResults> loadAt8 = List.of(Comparisons.run().load(8, 5000, 1000).build());

        for (String label : List.of("write-only throughput at 32", "workload A throughput at 32", "workload B", "workload C")) {
            Targets.Verdict v = verdict(label, noThirtyTwo);
            assertThat(v.wasRun()).as(label).isFalse();
            assertThat(v.met()).as(label).isFalse();
            assertThat(v.spread().isEmpty()).as(label).isTrue();
        }
        assertThat(verdict("write-only throughput at 8", noThirtyTwo).wasRun()).isTrue();
        assertThat(verdict("single-client PUT p50", readsOnly).wasRun()).isFalse();
        assertThat(verdict("workload A throughput at 8", readsOnly).wasRun()).isFalse();
        assertThat(verdict("workload B", readsOnly).wasRun()).isTrue();
        assertThat(verdict("load phase", loadAt8).wasRun()).as("the target names 32 load threads").isFalse();
    }

    @Test
    void everyTargetIsJudgedOverTheSameRuns() {
        List<Targets.Verdict> all = Targets.judge(writeOnlyAt32(1300, 900, 1100));

        assertThat(all).hasSize(Targets.ALL.size());
        assertThat(all).allSatisfy(v -> assertThat(v.runs()).isEqualTo(3));
    }
}
