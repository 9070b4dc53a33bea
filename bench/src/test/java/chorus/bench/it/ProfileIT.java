package chorus.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import chorus.bench.harness.Bench;
import chorus.bench.harness.BenchOptions;
import chorus.bench.harness.ProfileSummary;
import chorus.bench.harness.RunResult;
import chorus.bench.harness.SystemResults;
import chorus.bench.harness.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launch/bench --profile} against five real replica JVMs: async-profiler is attached to each
 * over the measured window, and what it sampled is the replicas serving the clients' writes.
 */
class ProfileIT {

    @TempDir
    Path dir;

    @Test
    void everyReplicaIsSampledOverTheWindowAndTheSummaryNamesTheClientPath() throws Exception {
        BenchOptions options = new BenchOptions(200, 100, List.of(4), 4, Duration.ofMillis(500), Duration.ofSeconds(2),
                List.of(Workload.WRITE_ONLY), 100, 10, dir, true, "uniform", Coordination.RECEIVER, true);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Set<Path> staleBefore = staleAttachSockets();
        SystemResults chorus = new Bench(options, new PrintStream(log, true, StandardCharsets.UTF_8)).runOnly(Bench.CHORUS);
        String progress = log.toString(StandardCharsets.UTF_8);

        RunResult writes = chorus.run(Workload.WRITE_ONLY, 4);
        assertThat(writes.operations()).as(progress).isPositive();
        assertThat(writes.errorCount()).as(progress).isZero();

        Path window = dir.resolve("profile").resolve("Chorus-write-only-4");
        List<Path> stacks = new ArrayList<>();
        for (int server = 1; server <= Bench.SERVERS; server++) {
            Path collapsed = window.resolve("server-" + server + ".collapsed");
            assertThat(collapsed).as(progress).isNotEmptyFile();
            assertThat(Files.readString(window.resolve("server-" + server + ".html"))).contains("<html");
            stacks.add(collapsed);
        }
        ProfileSummary summary = ProfileSummary.of(stacks);
        assertThat(summary.samples()).isPositive();
        // Clients' writes arrive at KeyValueEndpoint, and the other replicas' PREPAREs at PeerEndpoint.
        assertThat(summary.onBehalfOf()).containsKeys("KeyValueEndpoint", "PeerEndpoint");
        assertThat(Files.readString(window.resolve("summary.md"))).contains("# Profile: Chorus write-only 4", "| what ran |",
                "| KeyValueEndpoint |");
        assertThat(progress).containsPattern("profile Chorus write-only 4 \\((cpu|itimer) events\\): samples=");
        // The load before it was profiled as a window of its own.
        assertThat(dir.resolve("profile").resolve("Chorus-load-4").resolve("summary.md")).isNotEmptyFile();
        // The replicas were killed at the end; the attach sockets the profiler made them open went with them.
        assertThat(staleAttachSockets()).isSubsetOf(staleBefore);
    }

    /** HotSpot's attach sockets in /tmp whose process has exited. */
    private static Set<Path> staleAttachSockets() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/tmp"))) {
            return files.filter(f -> f.getFileName().toString().matches("\\.java_pid\\d+"))
                    .filter(f -> !ProcessHandle.of(Long.parseLong(f.getFileName().toString().substring(".java_pid".length())))
                            .map(ProcessHandle::isAlive).orElse(false))
                    .collect(Collectors.toSet());
        }
    }
}
