package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Security;
import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.testing.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kv} against a cluster whose state-changing admin calls need the operator token. */
class KvOperatorTokenIT {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    /** The same cluster, with a token file that holds the wrong token. */
    private static Path wrongToken;

    @BeforeAll
    static void startAClusterWithAToken() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "the-operator-token\n");
        cluster = LocalCluster.start(1, dir.resolve("cluster"), LocalCluster.TEST_TIMEOUTS,
                new Security(false, null, null, null, token.toString()));
        Path guess = Files.writeString(dir.resolve("guess"), "a-guess\n");
        ClusterConfig c = cluster.config();
        wrongToken = Files.writeString(dir.resolve("wrong-token.properties"),
                new ClusterConfig(c.replicas(), c.timeouts(), new Security(false, null, null, null, guess.toString()), c.coordination())
                        .toProperties());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRefusedTokenIsExit4InOneLineAndChangesNothing() throws Exception {
        KvRun fail = KvRun.against(wrongToken, "fail", "1", "on");
        assertThat(fail.exit()).as(fail.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(fail.err().lines()).hasSize(1).first().asString()
                .matches("error: replica 1 \\(127\\.0\\.0\\.1:\\d+\\): .*refused the operator token.*");
        assertThat(fail.out()).isEmpty();
        assertThat(cluster.status(1).simulatedFailure()).isFalse();

        KvRun force = KvRun.against(wrongToken, "force", "1", "t1.1.1", "commit");
        assertThat(force.exit()).as(force.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(force.err().lines()).hasSize(1).first().asString().contains("refused the operator token");
    }

    @Test
    void readingNeedsNoTokenSoAWrongOneDoesNotStopIt() {
        KvRun get = KvRun.against(wrongToken, "get", "k");
        assertThat(get.exit()).as(get.err()).isZero();
        KvRun status = KvRun.against(wrongToken, "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.lines().get(1).split(" +")[2]).isEqualTo("up");
    }

    @Test
    void theRightTokenSwitchesTheFailureOnAndOff() throws Exception {
        KvRun on = KvRun.against(cluster.configFile(), "fail", "1", "on");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(cluster.status(1).simulatedFailure()).isTrue();
        KvRun off = KvRun.against(cluster.configFile(), "fail", "1", "off");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(cluster.status(1).simulatedFailure()).isFalse();
    }

    /** --token-file stands in for the cluster file's admin.token-file, either way round. */
    @Test
    void theTokenFileOptionOverridesTheClusterFile() throws Exception {
        KvRun on = KvRun.against(wrongToken, "--token-file", dir.resolve("token").toString(), "fail", "1", "on");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(cluster.status(1).simulatedFailure()).isTrue();
        KvRun refused = KvRun.against(cluster.configFile(), "--token-file", dir.resolve("guess").toString(), "fail", "1", "off");
        assertThat(refused.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(cluster.status(1).simulatedFailure()).isTrue();
        KvRun off = KvRun.against(cluster.configFile(), "fail", "1", "off");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(cluster.status(1).simulatedFailure()).isFalse();

        KvRun missing = KvRun.against(cluster.configFile(), "--token-file", dir.resolve("no-such-token").toString(), "fail", "1", "on");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().lines()).hasSize(1).first().asString()
                .startsWith("error: cannot read --token-file " + dir.resolve("no-such-token"));
        assertThat(cluster.status(1).simulatedFailure()).isFalse();
    }
}
