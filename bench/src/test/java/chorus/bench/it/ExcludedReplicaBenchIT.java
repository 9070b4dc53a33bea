package chorus.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import chorus.bench.harness.Bench;
import chorus.bench.harness.BenchOptions;
import chorus.bench.harness.RunResult;
import chorus.bench.harness.SystemResults;
import chorus.bench.harness.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launch/bench --exclude 1}: the leader is killed and excluded before the load, and every
 * workload then runs on the four members left, without a failed operation.
 */
class ExcludedReplicaBenchIT {

    @TempDir
    Path dir;

    @Test
    void theLeaderKilledAndExcludedBeforeTheLoadLeavesFourMembersServingEveryOperation() throws Exception {
        BenchOptions options = new BenchOptions(200, 100, List.of(4), 4, Duration.ofMillis(300), Duration.ofSeconds(1),
                List.of(Workload.WRITE_ONLY, Workload.A), 100, 10, dir, true, "uniform", Coordination.LEADER, false, 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        SystemResults chorus = new Bench(options, new PrintStream(log, true, StandardCharsets.UTF_8)).runOnly(Bench.CHORUS);

        String progress = log.toString(StandardCharsets.UTF_8);
        assertThat(progress).containsPattern("# replica 1 killed and excluded by replica 2 in \\d+ ms: epoch 2 \\{2,3,4,5\\}");
        for (Workload w : List.of(Workload.WRITE_ONLY, Workload.A)) {
            RunResult r = chorus.run(w, 4);
            assertThat(r.operations()).as(progress).isPositive();
            assertThat(r.errorCount()).as(progress).isZero();
        }
        assertThat(chorus.run(Workload.WRITE_ONLY, 4).transactions()).as("counted on the four members").isPositive();
    }
}
