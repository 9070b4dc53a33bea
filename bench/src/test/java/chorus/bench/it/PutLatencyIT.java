package chorus.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.bench.PutLatency;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * launch/bench-put's probe over both faces of a replica: PUTs and GETs through RMI and through
 * HTTP each complete without an error and print their figures. Speed is not asserted.
 */
class PutLatencyIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER), dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PutLatency());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void putsAndGetsOverRmiAndHttpPrintTheirFigures() throws Exception {
        String config = cluster.configFile().toString();
        for (String[] face : new String[][] {{"rmi", "jdk"}, {"http", "jdk"}, {"http", "socket"}}) {
            String api = face[0];
            String prefix = "probe " + api + "-" + face[1] + "/";
            for (String op : new String[] {"put", "get"}) {
                String[] r = run("--config", config, "--replica", "2", "--api", api, "--http-client", face[1], "--op", op, "--count", "50",
                        "--warmup", "20", "--keys", "10", "--key-prefix", prefix);
                assertThat(r[0]).as(api + " " + face[1] + " " + op + ": " + r[2]).isEqualTo("0");
                assertThat(r[1]).contains("# measuring: 50 " + api.toUpperCase() + " " + op.toUpperCase() + "s")
                        .containsPattern("count=50 errors=0 duration_s=[0-9.]+ throughput_ops=[0-9.]+")
                        .containsPattern("latency_ms p50=[0-9.]+ p90=[0-9.]+ p99=[0-9.]+");
            }
            // The writes went through, under the key as named (a space in it, escaped on the way).
            assertThat(cluster.connection(3).kv().get(prefix + "9").value()).as(prefix).isEqualTo("v".repeat(100));
        }
        String[] bad = run("--config", config, "--api", "grpc");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("--api must be rmi or http, not 'grpc'");
        String[] badClient = run("--config", config, "--api", "http", "--http-client", "curl");
        assertThat(badClient[0]).isEqualTo("2");
        assertThat(badClient[2]).contains("--http-client must be jdk or socket, not 'curl'");
    }
}
