package chorus.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.bench.harness.Bench;
import chorus.bench.harness.BenchMain;
import chorus.bench.harness.BenchOptions;
import chorus.bench.harness.RunResult;
import chorus.bench.harness.SystemResults;
import chorus.bench.harness.Workload;
import chorus.server.testing.RepoRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launch/bench --only chorus --baseline DIR}: a second Chorus cluster from a build's jars
 * (here this checkout's own server jar and libraries, as a baseline checkout would give them) runs
 * beside this build's, each run on this build and right after on the baseline, and the pair's
 * ratios are printed. Speed is not asserted.
 */
class BaselineBenchIT {

    @TempDir
    Path dir;

    @Test
    void eachRunGoesToThisBuildAndThenToTheBaselineAndTheirRatiosArePrinted() throws Exception {
        BenchOptions quick = BenchOptions.quick(dir);
        BenchOptions options = new BenchOptions(quick.records(), quick.valueBytes(), List.of(1, 8, 1), quick.loadThreads(),
                quick.warmup(), quick.measure(), List.of(Workload.WRITE_ONLY), quick.floorRmiCalls(), quick.floorSyncedWrites(),
                dir, true, quick.distribution(), quick.coordination(), false);
        String classpath = BenchMain.baselineClasspath(RepoRoot.find());
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        List<SystemResults> both = new Bench(options, new PrintStream(log, true, StandardCharsets.UTF_8)).runAgainstBaseline(classpath);
        String progress = log.toString(StandardCharsets.UTF_8);

        assertThat(both).extracting(SystemResults::system).containsExactly(Bench.CHORUS, Bench.BASELINE);
        for (SystemResults s : both) {
            assertThat(s.runs()).hasSize(options.threads().size());
            for (RunResult r : s.runs()) {
                assertThat(r.operations()).as(s.system() + " " + r.threads() + "\n" + progress).isPositive();
                assertThat(r.errorCount()).as(s.system() + " " + r.threads() + "\n" + progress).isZero();
                assertThat(r.transactions()).as(s.system() + " " + r.threads()).isPositive();
            }
        }
        // Paired by position: the second run at one thread with the second, not the first.
        RunResult last = both.get(0).runs().get(2);
        RunResult lastBaseline = both.get(1).runs().get(2);
        assertThat(progress.lines().filter(l -> l.startsWith("Chorus/Baseline write-only threads=1 ")).toList().get(1))
                .isEqualTo(String.format(java.util.Locale.ROOT, "Chorus/Baseline write-only threads=1 ops_per_s=%.3f server_cpu_ms_per_op=%.3f",
                        last.throughput() / lastBaseline.throughput(), last.serverCpuMillisPerOp() / lastBaseline.serverCpuMillisPerOp()));
        assertThat(progress.lines().filter(l -> l.matches("(Chorus|Baseline) \\S+ threads=\\d+ ops=.*"))
                .map(l -> l.substring(0, l.indexOf(" ops="))).toList()).as(progress)
                .containsExactly("Chorus load threads=" + options.loadThreads(), "Baseline load threads=" + options.loadThreads(),
                        "Chorus write-only threads=1", "Baseline write-only threads=1",
                        "Chorus write-only threads=8", "Baseline write-only threads=8",
                        "Chorus write-only threads=1", "Baseline write-only threads=1");
        assertThat(progress).contains("starting 5 Chorus replicas of the baseline build (" + classpath + ")");
        assertThat(progress.lines().filter(l -> l.startsWith("Chorus/Baseline write-only threads=")).toList()).as(progress)
                .hasSize(3).allMatch(l -> l.matches("Chorus/Baseline write-only threads=\\d+ ops_per_s=\\d+\\.\\d{3} "
                        + "server_cpu_ms_per_op=\\d+\\.\\d{3}"));
    }
}
