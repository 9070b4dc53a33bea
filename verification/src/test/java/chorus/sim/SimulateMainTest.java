package chorus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** launch/simulate's command line: its report, its replay command and trace file, its exit codes. */
class SimulateMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void quiet() {
        Simulation.quietLogs();
    }

    private int run(Bugs bugs, String... args) {
        return SimulateMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                bugs, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cleanSeedsExitZeroWithALineEachAndTheCount() {
        assertThat(run(Bugs.NONE, "--seeds", "2", "--seed", "5", "--steps", "3000")).isZero();
        assertThat(out()).contains("seed 5 ").contains("seed 6 ").containsPattern("(?m)^2 passed, 0 failed$")
                .contains("transactions/s of wall time");
    }

    @Test
    void aFailingSeedIsReportedWithItsReplayCommandAndItsWholeTrace(@TempDir Path dir) throws Exception {
        int code = run(Bugs.MISSING_VOTE_IS_YES, "--seeds", "1", "--seed", "1", "--trace-dir", dir.toString(), "--trace-lines", "5");
        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("SEED 1 FAILED").contains("anomaly: ")
                .contains("replay: launch/simulate --seeds 1 --seed 1 --steps " + Simulation.DEFAULT_STEPS)
                .doesNotContain("NOT REPRODUCIBLE")
                .containsPattern("(?m)^0 passed, 1 failed$");
        Path trace = dir.resolve("seed-1.trace");
        assertThat(trace).exists();
        assertThat(Files.readAllLines(trace)).first().asString().startsWith("# launch/simulate --seeds 1 --seed 1");
        assertThat(Files.readAllLines(trace).size()).isGreaterThan(1_000);
    }

    @Test
    void badUsageExitsTwoNamingTheProblem() {
        assertThat(run(Bugs.NONE, "--seeds", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seeds must be at least 1, not 0");
        assertThat(run(Bugs.NONE, "--steps", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("many");
    }
}
