package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A flood of refusals becomes a few counted reports, none of it lost. */
class RefusalReportTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> reports = new ArrayList<>();
    private final RefusalReport report = new RefusalReport((listener, what) -> reports.add(listener + ": " + what), now::get);

    @Test
    void refusalsAreReportedAtMostOnceASecondPerReasonWithTheirCount() {
        report.refused("client", "a connection: too many client connections (limit 2)");
        for (int i = 0; i < 999; i++) {
            report.refused("client", "a connection: too many client connections (limit 2)");
        }
        report.refused("peer", "a connection: too many peer connections (limit 1)");
        assertThat(reports).containsExactly(
                "client: refused a connection: too many client connections (limit 2)",
                "peer: refused a connection: too many peer connections (limit 1)");
        report.flush();
        assertThat(reports).hasSize(2);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        report.flush();
        assertThat(reports).hasSize(3).last()
                .isEqualTo("client: refused a connection: too many client connections (limit 2) (999 such refusals since the last report)");
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        report.flush();
        assertThat(reports).hasSize(3);
    }
}
