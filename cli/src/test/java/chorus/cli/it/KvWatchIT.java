package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kv watch} in-process against three replica JVMs serving HTTP: the same stream as GET /v1/watch. */
class KvWatchIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KvRun kv(String... args) {
        return KvRun.against(cluster.configFile(), args);
    }

    @Test
    void watchPrintsEachCommittedChangeUnderThePrefixAndResumesAfterAnId() throws Exception {
        org.awaitility.Awaitility.await("a first write").atMost(Duration.ofSeconds(30)).until(() -> kv("put", "warm", "up").exit() == 0);
        // The watch starts from now: begun before the writes, it sees exactly them.
        CompletableFuture<KvRun> watch = CompletableFuture.supplyAsync(() -> kv("--replica", "3", "watch", "lab/", "--count", "3"));
        // Writes until the watch has printed three; those made before its stream opened are not
        // shown (it starts from now), so it needs three more at most after it opened.
        for (int n = 0; n < 40 && !watch.isDone(); n++) {
            assertThat(kv("put", "lab/t" + n, "v\t" + n).exit()).isZero();
            assertThat(kv("put", "other/" + n, "x").exit()).isZero();
        }
        KvRun w = watch.get(30, TimeUnit.SECONDS);
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(w.lines().get(0)).isEqualTo("# ID\tTYPE\tKEY\tVALUE\tVERSION\tTX");
        assertThat(w.lines()).hasSize(4);
        for (String line : w.lines().subList(1, 4)) {
            assertThat(line).matches("\\d+\tput\tlab/t\\d+\tv\\\\t\\d+\t1\tt1\\.\\d+\\.\\d+");
        }
        long firstId = Long.parseLong(w.lines().get(1).split("\t")[0]);
        KvRun again = kv("--replica", "3", "watch", "lab/", "--after", String.valueOf(firstId), "--count", "2");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.lines().subList(1, 3)).containsExactlyElementsOf(w.lines().subList(2, 4));

        KvRun gone = kv("--replica", "3", "watch", "--after", "999999999", "--count", "1");
        assertThat(gone.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(gone.err()).contains("410", "Ids are per replica");
    }
}
