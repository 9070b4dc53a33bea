package chorus.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.server.protocol.StorageException;
import chorus.server.protocol.StoredValue;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated disk keeps what was synced, and a crash tears the rest at a batch boundary. */
class SimDiskTest {

    private static SimDisk disk() {
        SimDisk d = new SimDisk();
        d.write(img -> img.data.put("synced", new StoredValue("a", 1)), true);
        d.write(img -> {
            img.data.put("x", new StoredValue("1", 1));
            img.data.put("y", new StoredValue("1", 1));
        }, false);
        d.write(img -> {
            img.data.put("x", new StoredValue("2", 2));
            img.data.put("y", new StoredValue("2", 2));
        }, false);
        return d;
    }

    @Test
    void aCrashKeepsTheSyncedWritesAndAPrefixOfWholeBatches() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            SimDisk d = disk();
            d.crash(new SplittableRandom(seed));
            assertThat(d.data()).containsEntry("synced", new StoredValue("a", 1));
            StoredValue x = d.data().get("x");
            StoredValue y = d.data().get("y");
            assertThat(x).as("a batch is kept whole or not at all").isEqualTo(y);
            seen.add(x == null ? "none" : x.value());
            assertThat(d.synced()).isEqualTo(d.written());
        }
        assertThat(seen).as("crashes keep none, the first, or both unsynced batches").containsExactlyInAnyOrder("none", "1", "2");
    }

    @Test
    void aFullDiskFailsWritesLeavingNothingAndSyncsLeavingWritesUnsyncedUntilSpaceReturns() {
        SimDisk d = disk();
        long written = d.written();
        d.setFull(true);
        assertThatThrownBy(() -> d.write(img -> img.data.put("z", new StoredValue("1", 1)), false))
                .isInstanceOf(StorageException.class).hasMessageContaining("No space left on device");
        assertThat(d.data()).doesNotContainKey("z");
        assertThat(d.written()).isEqualTo(written);
        assertThatThrownBy(d::sync).isInstanceOf(StorageException.class);
        assertThat(d.synced()).isLessThan(d.written());

        d.setFull(false);
        d.sync();
        assertThat(d.synced()).isEqualTo(d.written());
        d.crash(new SplittableRandom(1));
        assertThat(d.data()).containsEntry("x", new StoredValue("2", 2));
    }

    @Test
    void aSyncMakesEveryEarlierWriteSurvive() {
        SimDisk d = disk();
        d.sync();
        d.crash(new SplittableRandom(1));
        assertThat(d.data()).containsEntry("x", new StoredValue("2", 2)).containsEntry("y", new StoredValue("2", 2));
    }
}
