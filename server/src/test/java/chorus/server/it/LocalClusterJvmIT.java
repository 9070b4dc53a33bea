package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import chorus.server.ReplicaMain;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.ProcFs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link LocalCluster} starts a replica's JVM, read back from the running process: tests'
 * replicas compile with C1 only, benchmarks' with the full JIT (as launch/cluster's), so that a
 * benchmark does not measure code C2 never compiled.
 */
class LocalClusterJvmIT {

    @TempDir
    Path dir;

    @Test
    void testReplicasRunC1OnlyAndBenchmarkReplicasTheFullJit() throws Exception {
        try (LocalCluster tests = LocalCluster.start(1, dir.resolve("tests"))) {
            assertThat(ProcFs.commandLine(tests.pid(1))).containsSubsequence(LocalCluster.TEST_JVM_OPTIONS)
                    .contains(System.getProperty("java.class.path"));
        }
        try (LocalCluster bench = LocalCluster.start(1, dir.resolve("bench"), LocalCluster.TEST_TIMEOUTS, Coordination.LEADER,
                LocalCluster.Jvm.forBenchmarks())) {
            List<String> cmd = ProcFs.commandLine(bench.pid(1));
            assertThat(cmd).noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel")).contains("chorus.server.ReplicaMain")
                    .containsSubsequence(ReplicaMain.INLINING_OPTIONS);
        }
    }
}
