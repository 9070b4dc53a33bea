package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiler against a real JVM: an event the machine refuses falls back to the next, and a window's files are written. */
class ServerProfilerIT {

    @TempDir
    Path dir;

    private Process busy;

    @BeforeEach
    void startBusyJvm() throws Exception {
        busy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Busy.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("busy.log").toFile()).start();
    }

    @AfterEach
    void stopBusyJvm() throws Exception {
        busy.destroy();
        if (!busy.waitFor(10, TimeUnit.SECONDS)) {
            busy.destroyForcibly();
        }
    }

    @Test
    void aRefusedEventFallsBackToTheNextAndTheWindowIsSampled() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerProfiler profiler = ServerProfiler.into(dir.resolve("profile"), new PrintStream(log, true, StandardCharsets.UTF_8),
                List.of("no-such-event", "itimer"));
        List<Long> pids = List.of(busy.pid());
        // The attach needs the JVM up; until then it is refused.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            profiler.start(pids);
            return true;
        });
        // Let the process run half a second of CPU under the profiler.
        double before = Machine.cpuSeconds(pids);
        await().atMost(Duration.ofSeconds(30)).until(() -> Machine.cpuSeconds(pids) - before >= 0.5);
        ProfileSummary summary = profiler.stop(pids, "Busy spin 1");

        assertThat(summary.samples()).isPositive();
        assertThat(summary.whatRan()).containsKey(ProfileSummary.JAVA);
        Path window = dir.resolve("profile").resolve("Busy-spin-1");
        assertThat(window.resolve("server-1.collapsed")).isNotEmptyFile();
        assertThat(Files.readString(window.resolve("server-1.collapsed"))).contains("chorus/bench/harness/Busy.spin");
        assertThat(Files.readString(window.resolve("summary.md"))).contains("sampled with itimer events");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("profile Busy spin 1 (itimer events): samples=");
    }

    @Test
    void aKilledServersAttachSocketIsRemovedAndALiveOnesKept() throws Exception {
        ServerProfiler profiler = ServerProfiler.into(dir.resolve("profile"), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), List.of("itimer"));
        List<Long> pids = List.of(busy.pid());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            profiler.start(pids);
            return true;
        });
        profiler.stop(pids, "Busy spin 2");
        Path socket = ServerProfiler.attachSocket(busy.pid());
        assertThat(socket).exists();

        profiler.removeStaleAttachSockets();
        assertThat(socket).as("the server is still running: its socket stays").exists();

        busy.destroyForcibly();
        assertThat(busy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(socket).as("a killed JVM leaves its attach socket behind").exists();
        profiler.removeStaleAttachSockets();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aServerThatRefusesEveryEventIsNamed() {
        ServerProfiler profiler = ServerProfiler.into(dir.resolve("profile"), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), List.of("no-such-event"));
        // Until the JVM is up the attach itself fails, with another message.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() -> profiler.start(List.of(busy.pid())))
                        .hasMessageContaining("could not start in server process " + busy.pid() + " with any of [no-such-event]"));
    }
}
