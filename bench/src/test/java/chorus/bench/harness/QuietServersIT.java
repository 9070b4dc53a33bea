package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wait for quiet servers against real processes: an idle one passes at the first sample, a computing one holds it to its bound. */
class QuietServersIT {

    @TempDir
    Path dir;

    private Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void idleServersAreQuietAtTheFirstSample() throws Exception {
        process = new ProcessBuilder("sleep", "60").start();

        new QuietServers(List.of(process.pid()), progress).await(Duration.ofSeconds(20), "loading X");

        assertThat(out.toString(StandardCharsets.UTF_8)).matches("(?s)# servers quiet after \\d s \\([0-9] % of a core.*; loading X\\R");
    }

    @Test
    void aComputingServerHoldsTheWaitToItsBoundAndTheWaitSaysSo() throws Exception {
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Busy.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("busy.log").toFile()).start();

        long t0 = System.nanoTime();
        new QuietServers(List.of(process.pid()), progress).await(Duration.ofSeconds(3), "loading Y");

        assertThat(out.toString(StandardCharsets.UTF_8)).matches("(?s)# servers still busy after [3-9] s \\(\\d+ % of a core.*; loading Y\\R");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
    }
}
