package chorus.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.bench.harness.Bench;
import chorus.bench.harness.BenchOptions;
import chorus.bench.harness.BenchResults;
import chorus.bench.harness.Chart;
import chorus.bench.harness.Report;
import chorus.bench.harness.RunResult;
import chorus.bench.harness.ServerProbe;
import chorus.bench.harness.Smoke;
import chorus.bench.harness.SystemResults;
import chorus.bench.harness.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick benchmark as a smoke test: a fresh Chorus cluster and a fresh ZooKeeper ensemble both
 * answer every workload at every thread count without a failed operation, and the report and chart
 * are written. Speed is not asserted: the figures belong to launch/bench.
 */
class QuickBenchIT {

    @TempDir
    Path dir;

    @Test
    void bothSystemsAnswerEveryWorkloadAndTheReportIsWritten() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchResults results = new Bench(BenchOptions.quick(dir), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String progress = log.toString(StandardCharsets.UTF_8);

        assertThat(Smoke.problems(results)).as(progress).isEmpty();
        for (SystemResults s : new SystemResults[] {results.chorus(), results.zookeeper()}) {
            for (Workload w : Workload.values()) {
                for (int threads : results.options().threads()) {
                    RunResult r = s.run(w, threads);
                    assertThat(r.operations()).as(s.system() + " " + w.label() + " " + threads).isPositive();
                    assertThat(r.errorCount()).as(s.system() + " " + w.label() + " " + threads).isZero();
                }
            }
        }
        for (int threads : results.options().threads()) {
            RunResult chorusWrites = results.chorus().run(Workload.WRITE_ONLY, threads);
            assertThat(chorusWrites.transactions()).as("Chorus write-only transactions at " + threads).isPositive();
            // At least one write each, at most one per client of the replica; the window's two ends are
            // read a few milliseconds apart from the clients' own, hence the slack.
            assertThat(chorusWrites.writesPerTransaction()).as("Chorus writes per transaction at " + threads)
                    .isBetween(0.9, threads * 1.1);
            assertThat(results.zookeeper().run(Workload.WRITE_ONLY, threads).transactions()).isEqualTo(ServerProbe.UNKNOWN);
        }
        // Back to back: every workload and thread count on Chorus, then at once on ZooKeeper, after both loaded.
        List<String> expected = new ArrayList<>(List.of("Chorus load threads=" + results.options().loadThreads(),
                "ZooKeeper load threads=" + results.options().loadThreads()));
        for (Workload w : results.options().workloads()) {
            for (int threads : results.options().threads()) {
                expected.add("Chorus " + w.label() + " threads=" + threads);
                expected.add("ZooKeeper " + w.label() + " threads=" + threads);
            }
        }
        assertThat(progress.lines().filter(l -> l.matches("(Chorus|ZooKeeper) \\S+ threads=\\d+ ops=.*"))
                .map(l -> l.substring(0, l.indexOf(" ops="))).toList()).as(progress).isEqualTo(expected);
        assertThat(results.floor().rmiMillis()).isPositive();
        assertThat(results.floor().syncMillis()).isPositive();
        assertThat(results.floor().concurrentSyncMillis()).isPositive();

        Path png = dir.resolve("chart.png");
        Path md = dir.resolve("benchmarks.md");
        Chart.write(results, png);
        Report.write(results, "QuickBenchIT", md, "chart.png");
        assertThat(Files.size(png)).isPositive();
        assertThat(Files.readString(md)).contains("## Workload A", "## Workload write-only", "## Floor", "protocol bound", "| 32 | **all** |",
                "## Chorus: writes per transaction", "| write-only | 32 |");
    }
}
