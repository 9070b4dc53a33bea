package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator finds a transaction in doubt with {@code kv in-doubt} and settles it with {@code kv force}. */
class KvInDoubtIT {

    @Replicas(3)
    static LocalCluster cluster;

    private static KvRun kv(String... args) {
        return KvRun.against(cluster.configFile(), args);
    }

    @Test
    void inDoubtListsTheBlockedTransactionAndForceSettlesItOnOneReplica() throws Exception {
        cluster.kill(2);
        cluster.start(2, Map.of("chorus.fault", "coordinator-after-decision"));
        assertThat(cluster.writeUntilHalted(2, "stuck", "maybe")).isEqualTo(137);
        // Counted once past the prepared timeout; the rows below also show the first attempt to learn the outcome.
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.status(3).inDoubt() == 1 && cluster.status(1).inDoubt() == 1
                && attemptedOnce(3) && attemptedOnce(1));

        KvRun list = kv("in-doubt");
        assertThat(list.exit()).isZero();
        assertThat(list.err()).contains("warning: replica 2");
        List<String> rows = list.out().lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r).matches("[13]\tt2\\.\\d+\\.\\d+\t2\t\\d+\tstuck\t.*prepared.*"));
        String tx = rows.get(0).split("\t")[1];

        KvRun bad = kv("force", "3", "not-a-tx", "commit");
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(bad.err()).contains("not a transaction id");

        KvRun force = kv("force", "3", tx, "commit", "--note", "coordinator 2 decided COMMIT per its log");
        assertThat(force.exit()).as(force.err()).isZero();
        assertThat(force.out()).isEqualTo("FORCED replica=3 tx=" + tx + " decision=COMMIT\n");
        assertThat(cluster.status(3).inDoubt()).isZero();
        assertThat(cluster.connection(3).kv().get("stuck").value()).isEqualTo("maybe");
        assertThat(kv("events", "--replica", "3").out()).contains("HEURISTIC_DECISION").contains("coordinator 2 decided COMMIT per its log");

        KvRun again = kv("force", "3", tx, "abort");
        assertThat(again.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("holds no prepared transaction " + tx);

        // The coordinator comes back with its durable COMMIT: replica 1 learns it, and all agree.
        cluster.start(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster.status(1).inDoubt()).isZero();
            assertThat(cluster.connection(1).kv().get("stuck").value()).isEqualTo("maybe");
        });
    }

    private boolean attemptedOnce(int replica) throws Exception {
        return cluster.connection(replica).admin().inDoubt().stream().allMatch(t -> t.lastAttempt().contains("prepared"));
    }
}
