package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTableTest {

    private static SpreadTable.Row row(List<SpreadTable.Row> rows, String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label));
    }

    @Test
    void oneRowPerWorkloadAndThreadCountThenThePutLoadAndFloorFigures() {
        List<SpreadTable.Row> rows = SpreadTable.rows(List.of(Comparisons.run().workloads(Workload.A, Workload.WRITE_ONLY)
                .threads(1, 32).build()));

        assertThat(rows).extracting(SpreadTable.Row::label).containsExactly(
                "throughput, workload A, 1 thread",
                "throughput, workload A, 32 threads",
                "throughput, write-only, 1 thread",
                "throughput, write-only, 32 threads",
                "single-client PUT p50 (write-only, 1 thread, UPDATE p50)",
                "load phase throughput (inserts, 32 threads)",
                "Chorus PUT p50 / floor",
                "Chorus PUT p50 / protocol bound");
    }

    @Test
    void eachRowIsTheSpreadOfThatRatioOverTheRuns() {
        List<BenchResults> runs = List.of(
                Comparisons.run().throughput(Workload.A, 8, 840, 1000).put(1.5, 0.75).load(32, 900, 1800).build(),
                Comparisons.run().throughput(Workload.A, 8, 1200, 1000).put(1.0, 1.0).load(32, 1000, 1000).build(),
                Comparisons.run().throughput(Workload.A, 8, 1000, 1000).put(0.5, 1.0).load(32, 1100, 1000).build());
        List<SpreadTable.Row> rows = SpreadTable.rows(runs);

        assertThat(row(rows, "throughput, workload A, 8 threads").spread()).isEqualTo(new Spread(0.84, 1.0, 1.2, 3));
        assertThat(row(rows, "throughput, workload C, 32 threads").spread()).isEqualTo(new Spread(1.0, 1.0, 1.0, 3));
        Spread put = row(rows, "single-client PUT p50 (write-only, 1 thread, UPDATE p50)").spread();
        assertThat(put.min()).isCloseTo(0.5, offset(0.002));
        assertThat(put.median()).isCloseTo(1.0, offset(0.002));
        assertThat(put.max()).isCloseTo(2.0, offset(0.004));
        Spread load = row(rows, "load phase throughput (inserts, 32 threads)").spread();
        assertThat(load).isEqualTo(new Spread(0.5, 1.0, 1.1, 3));
    }

    @Test
    void thePutIsSetAgainstEachRunsOwnFloorAndBound() {
        // The made-up floor: round trip 0.05 ms, synced write 0.2 ms, slowest of 5 at once 0.3 ms:
        // floor 0.5 ms, bound 3 × 0.05 + 0.3 = 0.45 ms.
        List<SpreadTable.Row> rows = SpreadTable.rows(List.of(Comparisons.run().put(1.3, 1.0).build()));

        assertThat(row(rows, "Chorus PUT p50 / floor").spread().median()).isCloseTo(2.6, offset(0.01));
        assertThat(row(rows, "Chorus PUT p50 / protocol bound").spread().median()).isCloseTo(2.89, offset(0.01));
    }
}
