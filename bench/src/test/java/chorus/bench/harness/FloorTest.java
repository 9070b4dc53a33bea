package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import chorus.api.config.Coordination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

class FloorTest {

    @TempDir
    Path dir;

    @Test
    void concurrentSyncedWritesTimeEveryRoundAndReachEveryWritersOwnDatabase() throws Exception {
        int writers = 3;
        int rounds = 20;
        Histogram slowest = Floor.concurrentSyncedWrites(dir, writers, rounds);

        assertThat(slowest.getTotalCount()).as("one figure per measured round").isEqualTo(rounds);
        assertThat(slowest.getMinValue()).isPositive();
        int warmup = 10;
        for (int w = 0; w < writers; w++) {
            assertThat(keysIn(dir.resolve("concurrent-" + w))).as("writer " + w).isEqualTo(warmup + rounds);
        }
    }

    @Test
    void aWriterWhoseDatabaseCannotBeCreatedFailsAtOnceNamingItsDirectory() throws Exception {
        Files.writeString(dir.resolve("concurrent-1"), "a file where a database directory should go");

        assertThatThrownBy(() -> Floor.concurrentSyncedWrites(dir, 3, 20))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("concurrent-1");
    }

    @Test
    void theProtocolBoundIsThreeRoundTripsAndTheSlowestConcurrentSync() {
        Floor.Result r = new Floor.Result(histogramOf(30_000), histogramOf(150_000), histogramOf(300_000), 5);

        assertThat(r.floorMillis()).isCloseTo(0.36, offset(0.001));
        // 3 × 0.03 + 0.3: the client's call, LOCK, the PREPARE round with every member's sync, the
        // coordinator's among them (parallel commit: the COMMIT record is not synced on the way).
        assertThat(r.protocolBoundMillis(Coordination.RECEIVER)).isCloseTo(0.39, offset(0.001));
    }

    @Test
    void theClientIsAnsweredAtTheCommitPointSoTheDecisionRoundIsNotInTheBound() {
        assertThat(Floor.boundRoundTrips(Coordination.RECEIVER))
                .containsExactly("the client's call", "LOCK at the lock primary", "the PREPARE round");
        assertThat(String.join(" ", Floor.boundRoundTrips(Coordination.RECEIVER))).doesNotContainIgnoringCase("decision");
    }

    @Test
    void underALeaderTheForwardTakesTheLockCallsPlaceAndTheBoundIsTheSame() {
        Floor.Result r = new Floor.Result(histogramOf(30_000), histogramOf(150_000), histogramOf(300_000), 4);

        assertThat(Floor.boundRoundTrips(Coordination.LEADER))
                .containsExactly("the client's call", "the forward to the leader", "the PREPARE round");
        assertThat(r.protocolBoundMillis(Coordination.LEADER)).isEqualTo(r.protocolBoundMillis(Coordination.RECEIVER));
    }

    @Test
    void eachRoundTripOfTheBoundCostsOneRmiRoundTrip() {
        Floor.Result fast = new Floor.Result(histogramOf(10_000), histogramOf(150_000), histogramOf(300_000), 4);
        Floor.Result slow = new Floor.Result(histogramOf(110_000), histogramOf(150_000), histogramOf(300_000), 4);

        assertThat(slow.protocolBoundMillis(Coordination.RECEIVER) - fast.protocolBoundMillis(Coordination.RECEIVER))
                .isCloseTo(3 * 0.1, offset(0.001));
    }

    private static Histogram histogramOf(long nanos) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        h.recordValue(nanos);
        return h;
    }

    private static int keysIn(Path db) throws Exception {
        try (Options options = new Options(); RocksDB rocks = RocksDB.openReadOnly(options, db.toString());
             RocksIterator it = rocks.newIterator()) {
            int n = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
            return n;
        }
    }
}
