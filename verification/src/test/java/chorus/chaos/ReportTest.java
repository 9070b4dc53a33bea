package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The summary says how membership was set up and how each membership change ended. */
class ReportTest {

    private static String print(Duration autoExclude, Map<Nemesis.Kind, Map<String, Integer>> outcomes) {
        ChaosRunner.Options options = new ChaosRunner.Options(Duration.ofSeconds(60), 8, 42, 5, 5, Path.of("/tmp/chaos"),
                Duration.ofSeconds(90), 1000, Coordination.LEADER, autoExclude);
        ChaosRunner.Report report = new ChaosRunner.Report(options, new EnumMap<>(History.Kind.class),
                Map.of(Nemesis.Kind.MANUAL_EXCLUSION, 2, Nemesis.Kind.AUTO_EXCLUSION, 1), Map.of(), outcomes, List.of(), 10, 6,
                Path.of("/tmp/chaos/history.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSecondLineSaysWhetherMembershipIsAutomatic() {
        assertThat(print(Duration.ofMillis(1500), Map.of()).lines().limit(2)).containsExactly(
                "chaos run: seed 42, 60 s, 8 clients, 5 replicas, 5 keys, replica 1 coordinating every write",
                "membership: read lease 1000 ms (margin 100 ms), automatic exclusion after 1500 ms of silence and readmission "
                        + "once caught up");
        assertThat(print(Duration.ZERO, Map.of()).lines().skip(1).findFirst()).hasValue(
                "membership: read lease 1000 ms (margin 100 ms), automatic membership off: the nemesis excludes and readmits by hand");
    }

    @Test
    void eachMembershipChangeIsListedWithHowItEnded() {
        String text = print(Duration.ofMillis(1500), Map.of(Nemesis.Kind.MANUAL_EXCLUSION,
                new TreeMap<>(Map.of("exclusion agreed", 1, "exclusion already done (automatic)", 1, "readmission agreed", 2)),
                Nemesis.Kind.AUTO_EXCLUSION, new TreeMap<>(Map.of("excluded automatically", 1, "readmitted itself", 1))));
        assertThat(text).containsSubsequence("excluded and readmitted by hand", "2", "exclusion agreed", "1",
                "long outage, automatic exclusion", "1", "excluded automatically", "1", "readmitted itself", "1");
        assertThat(text).contains("one view per epoch (6 views seen), every replica a member of one final view");
    }
}
