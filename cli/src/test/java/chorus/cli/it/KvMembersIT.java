package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator reads the membership view with {@code kv members} and excludes a dead replica with {@code kv exclude}. */
class KvMembersIT {

    @Replicas(5)
    static LocalCluster cluster;

    private static KvRun kv(String... args) {
        return KvRun.against(cluster.configFile(), args);
    }

    private static List<String> rows(KvRun run) {
        return run.out().lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void membersShowsTheViewAndExcludeChangesItByAMajority() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            KvRun members = kv("members");
            assertThat(members.exit()).as(members.err()).isZero();
            assertThat(members.out().lines().findFirst()).contains("# REPLICA\tROLE\tEPOCH\tMEMBERS\tLEASE_MS\tNOTE");
            assertThat(rows(members)).hasSize(5).allSatisfy(r -> assertThat(r).matches("[1-5]\tmember\t1\t1,2,3,4,5\t[1-9]\\d*\t"));
        });

        KvRun unknown = kv("exclude", "9");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown replica id 9");

        cluster.kill(4);
        KvRun exclude = kv("exclude", "4");
        assertThat(exclude.exit()).as(exclude.err()).isZero();
        assertThat(exclude.out().strip()).isEqualTo("VIEW epoch=2 members=1,2,3,5");

        KvRun after = kv("members");
        assertThat(after.exit()).isZero();
        assertThat(after.err()).contains("warning: replica 4");
        assertThat(rows(after)).hasSize(4).allSatisfy(r -> assertThat(r).matches("[1235]\tmember\t2\t1,2,3,5\t\\d+\t.*"));

        KvRun put = kv("put", "after-exclusion", "v");
        assertThat(put.exit()).as(put.err()).isZero();

        KvRun whileDown = kv("readmit", "4");
        assertThat(whileDown.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        cluster.start(4);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            KvRun members = kv("members");
            assertThat(rows(members)).anySatisfy(r -> assertThat(r).startsWith("4\tlearner\t2\t1,2,3,5\t0\t"));
        });
        KvRun readmit = kv("readmit", "4");
        assertThat(readmit.exit()).as(readmit.err()).isZero();
        assertThat(readmit.out().strip()).isEqualTo("VIEW epoch=3 members=1,2,3,4,5");
        KvRun get = kv("--replica", "4", "get", "after-exclusion");
        assertThat(get.exit()).as(get.err()).isZero();

        assertThat(kv("exclude", "3").exit()).isZero();
        assertThat(kv("exclude", "4").exit()).isZero();
        KvRun tooFew = kv("exclude", "2");
        assertThat(tooFew.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(tooFew.err()).contains("excluding replica 2 would leave {1,5}, fewer than a majority (3 of 5)");
    }
}
