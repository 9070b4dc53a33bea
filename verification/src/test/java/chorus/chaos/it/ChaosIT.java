package chorus.chaos.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.Coordination;
import chorus.chaos.ChaosRunner;
import chorus.chaos.History;
import chorus.chaos.Nemesis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short seeded chaos run in CI: five replica processes, eight clients, a minute of faults (the
 * coordinator crashing between the phases first, then an exclusion and readmission by hand and an
 * outage long enough for automatic exclusion), then every check; and 40 s under leader
 * coordination with automatic membership off, where the nemesis excludes and readmits by hand.
 * Fails on any anomaly and prints the summary with the smallest failing history.
 */
class ChaosIT {

    static final long SEED = 20261127L;

    @TempDir
    Path dir;

    @Test
    void aMinuteOfSeededFaultsLeavesALinearizableHistoryAndIdenticalReplicas() throws Exception {
        ChaosRunner.Options options = new ChaosRunner.Options(Duration.ofSeconds(60), 8, SEED, 5, 5, dir.resolve("chaos"),
                Duration.ofSeconds(90), 2_000_000);
        ChaosRunner.Report report = new ChaosRunner(options, System.out).run();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        report.print(new PrintStream(summary, true, StandardCharsets.UTF_8));
        String text = summary.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(report.anomalies()).as(text).isEmpty();
        // The run did what it claims: real traffic, every outcome, and faults including the coordinator crash.
        assertThat(report.total(History.Status.OK)).as(text).isGreaterThan(300);
        assertThat(report.total(History.Status.FAIL)).as(text).isPositive();
        assertThat(report.faultsInjected()).as(text).isGreaterThanOrEqualTo(6);
        assertThat(report.crashPoints()).as(text).containsKeys("coordinator-before-commit-record", "coordinator-after-decision",
                "coordinator-after-partial-commit", "coordinator-after-answer");
        // Membership changed under the clients, by hand and by itself, and every view was checked.
        assertThat(text).contains("automatic exclusion after 1500 ms");
        assertThat(report.faults()).as(text).containsKeys(Nemesis.Kind.MANUAL_EXCLUSION, Nemesis.Kind.AUTO_EXCLUSION);
        assertThat(report.viewsSeen()).as(text).isGreaterThan(2);
    }

    @Test
    void leaderCoordinationWithMembershipByHandOnlyLeavesALinearizableHistoryAndIdenticalReplicas() throws Exception {
        ChaosRunner.Options options = new ChaosRunner.Options(Duration.ofSeconds(40), 8, SEED + 1, 5, 5, dir.resolve("leader"),
                Duration.ofSeconds(90), 2_000_000, Coordination.LEADER, Duration.ZERO);
        ChaosRunner.Report report = new ChaosRunner(options, System.out).run();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        report.print(new PrintStream(summary, true, StandardCharsets.UTF_8));
        String text = summary.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(text).contains("replica 1 coordinating every write").contains("automatic membership off");
        assertThat(report.anomalies()).as(text).isEmpty();
        assertThat(report.total(History.Status.OK)).as(text).isGreaterThan(200);
        assertThat(report.total(History.Status.FAIL)).as(text).isPositive();
        assertThat(report.faultsInjected()).as(text).isGreaterThanOrEqualTo(4);
        assertThat(report.faults()).as(text).containsKey(Nemesis.Kind.MANUAL_EXCLUSION).doesNotContainKey(Nemesis.Kind.AUTO_EXCLUSION);
    }
}
