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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every curl example of docs/http.md, run as written (the shipped ports 7301-7305 mapped to this
 * cluster's) against five replica JVMs, in order: each answers the status its comment names.
 */
class HttpDocExamplesIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // The examples run from the repository's top directory, where the shipped cluster file keeps
        // the operator token: here a directory of the test's own, with a token of its own.
        Path token = Files.createDirectories(dir.resolve("run")).resolve("operator-token");
        Files.writeString(token, "a-token-of-this-test\n");
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(5), LocalCluster.TEST_TIMEOUTS,
                new Security(false, null, null, null, token.toString()), Coordination.LEADER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The lines of the block after "## Examples", each with the status of its comment. */
    static List<String[]> examples() throws Exception {
        String doc = Files.readString(RepoRoot.find().resolve("docs").resolve("http.md"));
        String section = doc.substring(doc.indexOf("## Examples"));
        String block = section.substring(section.indexOf("```sh") + 5, section.indexOf("```", section.indexOf("```sh") + 5));
        List<String[]> out = new ArrayList<>();
        Pattern line = Pattern.compile("^(curl .*?)\\s+#\\s*(\\d{3})\\b.*$");
        for (String l : block.strip().split("\n")) {
            Matcher m = line.matcher(l.strip());
            assertThat(m.matches()).as("an example line ends with '# STATUS': " + l).isTrue();
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    @Test
    void everyCurlExampleAnswersAsItsCommentSays() throws Exception {
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "warm", "up");
        List<String[]> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
        for (String[] example : examples) {
            String command = example[0];
            for (int r = 1; r <= 5; r++) {
                command = command.replace("127.0.0.1:730" + r, "127.0.0.1:" + cluster.address(r).httpPort());
            }
            // The status on a line of its own after the output, without changing what the example asks.
            Path out = dir.resolve("curl.out");
            Process p = new ProcessBuilder("bash", "-c", command + " -w '\\nSTATUS %{http_code}\\n'").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command).isTrue();
            } finally {
                p.destroyForcibly();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            boolean streamEndedByMaxTime = command.contains("--max-time") && p.exitValue() == 28;
            assertThat(p.exitValue() == 0 || streamEndedByMaxTime).as(command + "\n" + text).isTrue();
            assertThat(text).as(command).contains("STATUS " + example[1]);
            if (command.contains("/v1/watch")) {
                assertThat(text).as("the watch from the start shows the examples' changes").contains("event: put", "lab/a", "event: delete");
            }
        }
        assertThat(cluster.connection(4).kv().get("lab/run 1/temp").value()).isEqualTo("first");
        assertThat(cluster.connection(5).kv().get("greeting").found()).isFalse();
        assertThat(cluster.status(5).simulatedFailure()).as("the examples switch replica 5's failure off again").isFalse();
    }
}
