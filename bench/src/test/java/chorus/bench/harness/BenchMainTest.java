package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line only: parsed and checked, never run. */
class BenchMainTest {

    private static BenchMain parsed(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void oneRunUnlessToldOtherwise() {
        assertThat(parsed().runs).isEqualTo(1);
        assertThat(parsed("--runs", "3").runs).isEqualTo(3);
    }

    @Test
    void theHelpNamesTheOption() {
        String usage = new CommandLine(new BenchMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(usage).contains("--runs=N", "median", "--runs N repeats the whole comparison");
    }

    @Test
    void aCountOfRunsOutsideOneToTheLimitIsRefused() {
        for (String n : new String[] {"0", "-1", String.valueOf(BenchMain.MAX_RUNS + 1)}) {
            BenchMain main = parsed("--runs", n);
            assertThatThrownBy(main::check).as(n).isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--runs takes 1 to " + BenchMain.MAX_RUNS);
        }
        parsed("--runs", String.valueOf(BenchMain.MAX_RUNS)).check();
        parsed("--runs", "3", "--quick").check();
        parsed("--runs", "3", "--only", "chorus").check();
    }

    @Test
    void severalRunsGoWithTheComparisonOnly() {
        assertThatThrownBy(parsed("--runs", "3", "--memory")::check).hasMessageContaining("not --memory");
        assertThatThrownBy(parsed("--runs", "3", "--profile")::check).hasMessageContaining("--profile goes with one run");
        parsed("--runs", "1", "--memory").check();
    }

    @Test
    void aBaselineIsAnotherBuiltCheckoutComparedWithChorusOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThatThrownBy(parsed("--baseline", dir.toString())::check).hasMessageContaining("--baseline goes with --only chorus");
        assertThatThrownBy(parsed("--baseline", dir.toString(), "--only", "zookeeper")::check)
                .hasMessageContaining("--baseline goes with --only chorus");
        assertThatThrownBy(parsed("--baseline", dir.toString(), "--only", "chorus")::check)
                .hasMessageContaining("holds no built server")
                .hasMessageContaining(dir.resolve("server/target/chorus-server.jar").toString());

        java.nio.file.Path jar = dir.resolve("server/target/chorus-server.jar");
        java.nio.file.Files.createDirectories(jar.getParent());
        java.nio.file.Files.writeString(jar, "");
        parsed("--baseline", dir.toString(), "--only", "chorus").check();
        assertThat(BenchMain.baselineClasspath(dir)).isEqualTo(jar.toAbsolutePath() + java.io.File.pathSeparator
                + dir.resolve("server/target/lib").toAbsolutePath() + java.io.File.separator + "*");
    }
}
