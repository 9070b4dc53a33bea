package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RunResultTest {

    private static Histogram ops(int count) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < count; i++) {
            h.recordValue(1_000_000);
        }
        return h;
    }

    private static RunResult run(Map<String, Histogram> latencies, double cpuSeconds, long transactions) {
        return new RunResult("Chorus", "A", 8, 10, latencies, Map.of(), null, 1.0, cpuSeconds, transactions);
    }

    @Test
    void writesCountUpdatesInsertsAndDeletesButNotReads() {
        RunResult r = run(Map.of("READ", ops(50), "UPDATE", ops(30), "INSERT", ops(15), "DELETE", ops(5)), 1, 25);

        assertThat(r.operations()).isEqualTo(100);
        assertThat(r.writes()).isEqualTo(50);
        assertThat(r.writesPerTransaction()).isEqualTo(2.0);
        assertThat(r.serverCpuMillisPerTransaction()).isEqualTo(40.0);
    }

    @Test
    void perTransactionFiguresAreUnknownWithoutATransactionCount() {
        RunResult zookeeper = run(Map.of("UPDATE", ops(10)), 1, ServerProbe.UNKNOWN);
        RunResult none = run(Map.of("UPDATE", ops(10)), 1, 0);

        assertThat(zookeeper.writesPerTransaction()).isNaN();
        assertThat(zookeeper.serverCpuMillisPerTransaction()).isNaN();
        assertThat(none.writesPerTransaction()).isNaN();
    }

    @Test
    void transactionsBetweenTwoReadingsAreUnknownIfEitherIsOrIfTheCountWentBack() {
        ServerProbe.Reading at10 = new ServerProbe.Reading(1, 10);
        ServerProbe.Reading at25 = new ServerProbe.Reading(2, 25);
        ServerProbe.Reading unknown = new ServerProbe.Reading(2, ServerProbe.UNKNOWN);

        assertThat(ServerProbe.transactionsBetween(at10, at25)).isEqualTo(15);
        assertThat(ServerProbe.transactionsBetween(at10, unknown)).isEqualTo(ServerProbe.UNKNOWN);
        assertThat(ServerProbe.transactionsBetween(unknown, at25)).isEqualTo(ServerProbe.UNKNOWN);
        // A replica restarted in between starts counting from zero again.
        assertThat(ServerProbe.transactionsBetween(at25, at10)).isEqualTo(ServerProbe.UNKNOWN);
    }
}
