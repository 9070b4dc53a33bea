package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** launch/chaos refuses bad input with a clear message and exit code 2, before starting anything. */
class ChaosMainTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aNonNumericDurationIsRefused() {
        assertThat(ChaosMain.run("--duration", "soon")).isEqualTo(2);
        assertThat(stderr()).contains("error: ").contains("--duration").contains("soon");
    }

    @Test
    void zeroClientsAndANegativeDurationAreRefused() {
        assertThat(ChaosMain.run("--clients", "0")).isEqualTo(2);
        assertThat(stderr()).contains("error: clients must be 1..200, was 0");
        assertThat(ChaosMain.run("--duration", "-5")).isEqualTo(2);
        assertThat(stderr()).contains("error: duration must be positive");
    }

    @Test
    void anAutomaticExclusionShorterThanHalfTheLeaseOrNegativeIsRefused() {
        assertThat(ChaosMain.run("--auto-exclude-ms", "300")).isEqualTo(2);
        assertThat(stderr()).contains("error: auto-exclude-ms must be 0 (off) or at least 500 (half the chaos run's read lease "
                + "of 1000 ms), was 300");
        assertThat(ChaosMain.run("--auto-exclude-ms", "-1")).isEqualTo(2);
        assertThat(stderr()).contains("was -1");
        assertThat(ChaosMain.run("--auto-exclude-ms", "soon")).isEqualTo(2);
        assertThat(stderr()).contains("--auto-exclude-ms").contains("[--auto-exclude-ms MS]");
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThat(ChaosMain.run("--nemesis", "off")).isEqualTo(2);
        assertThat(stderr()).contains("Unknown options: '--nemesis'");
    }

    @Test
    void aWorkDirectoryInUseIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("history.txt"), "an earlier run");
        assertThat(ChaosMain.run("--work-dir", dir.toString(), "--duration", "1")).isEqualTo(2);
        assertThat(stderr()).contains("is not empty");
    }
}
