package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program in another language uses Chorus: the standard-library Python client of
 * examples/python runs its demo (a watch at another replica, put, read elsewhere, compare-and-set,
 * a refused stale one, a batch, delete, a refused empty key, readiness) against three replica JVMs, and what it wrote is
 * what RMI reads. Needs python3 (.ci/run installs it when missing); fails, saying so, without it.
 */
class PythonClientIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"), false);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theDemoRunsEveryStepAgainstALiveCluster() throws Exception {
        // The cluster's first write may miss a vote on a cold machine; the demo is about what follows.
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "warm", "up");
        Path demo = RepoRoot.find().resolve("examples").resolve("python").resolve("demo.py");
        Path out = dir.resolve("demo.out");
        Process p = new ProcessBuilder(List.of("python3", demo.toString(),
                "--url", "http://127.0.0.1:" + cluster.address(2).httpPort(),
                "--other", "http://127.0.0.1:" + cluster.address(3).httpPort(), "--prefix", "py/"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the demo finished within 120 s").isTrue();
        } finally {
            p.destroyForcibly(); // its own pid; a no-op once it has exited
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("a stale cas is refused: 412 VERSION_MISMATCH", "an empty key is refused: 400 key is empty",
                "watch at the other replica saw 5 changes, in order", "all steps passed").doesNotContain("FAIL");

        // What Python wrote is what RMI reads, on every replica.
        for (int r = 1; r <= 3; r++) {
            assertThat(cluster.connection(r).kv().get("py/x").value()).isEqualTo("1");
            assertThat(cluster.connection(r).kv().get("py/y").value()).isEqualTo("2");
            assertThat(cluster.connection(r).kv().get("py/r\u00e9sum\u00e9 1").found()).isFalse();
            assertThat(cluster.connection(r).kv().get("py/r\u00e9sum\u00e9 1").version()).isEqualTo(3);
        }
    }
}
