package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.StorageHealth;
import chorus.server.testing.SmallTmpfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a real, small tmpfs (needs root, as CI has) that runs out of space and gets it back. */
class RocksStoreDiskFullTest {

    /** Large enough that RocksDB's preallocated log fills within a few hundred writes. */
    private static final String VALUE = "v".repeat(64 * 1024);

    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsWritesNamingItAndTheStoreWritesAgainByItselfOnceSpaceIsFree() throws Exception {
        try (SmallTmpfs disk = SmallTmpfs.mount(dir.resolve("mnt"), 16);
             RocksStore store = RocksStore.open(dir.resolve("mnt").resolve("db"), System::currentTimeMillis)) {
            List<StorageHealth> heard = new CopyOnWriteArrayList<>();
            store.onHealthChange(heard::add);
            List<String> done = new ArrayList<>();
            long seq = 0;
            apply(store, ++seq, "before", true);
            done.add("before");

            disk.fill();
            StorageException full = null;
            for (int i = 0; i < 2000 && full == null; i++) {
                try {
                    apply(store, ++seq, "k" + i, i % 2 == 0);
                    done.add("k" + i);
                } catch (StorageException e) {
                    full = e;
                }
            }
            assertThat(full).as("a write fails once the tmpfs is full").isNotNull();
            assertThat(full.getMessage()).startsWith("disk full: ").contains("No space left on device");
            assertThat(store.health().state()).isEqualTo(StorageHealth.State.DISK_FULL);
            assertThat(store.health().note()).startsWith("disk full: ");
            long syncedBefore = store.syncedThrough();
            long writtenBefore = store.writtenThrough();
            // Reads go on while writes fail.
            assertThat(store.read("before").value()).isEqualTo(VALUE);

            disk.free();
            await("writable again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.health().writable());
            assertThat(heard).extracting(StorageHealth::state)
                    .containsExactly(StorageHealth.State.DISK_FULL, StorageHealth.State.WRITABLE);
            apply(store, ++seq, "after", true);
            done.add("after");
            assertThat(store.syncedThrough()).isGreaterThanOrEqualTo(syncedBefore);
            assertThat(store.writtenThrough()).isGreaterThanOrEqualTo(writtenBefore);
            for (String key : done) {
                assertThat(store.read(key).value()).as(key).isEqualTo(VALUE);
            }
            store.close();
            // The log RocksDB wrote through the failure (a torn record in it) must read back whole.
            try (RocksStore again = RocksStore.open(dir.resolve("mnt").resolve("db"), System::currentTimeMillis)) {
                for (String key : done) {
                    assertThat(again.read(key).value()).as("%s after a reopen", key).isEqualTo(VALUE);
                }
            }
        }
    }

    @Test
    void aStoreOnAFullDiskThatIsClosedStaysClosed() throws Exception {
        try (SmallTmpfs disk = SmallTmpfs.mount(dir.resolve("mnt"), 16)) {
            RocksStore store = RocksStore.open(dir.resolve("mnt").resolve("db"), System::currentTimeMillis);
            disk.fill();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 2000; i++) {
                    apply(store, i + 1, "k" + i, true);
                }
            }).isInstanceOf(StorageException.class).hasMessageContaining("disk full");
            store.close();
            disk.free();
            assertThatThrownBy(() -> store.read("k0")).isInstanceOf(StorageException.class).hasMessageContaining("is closed");
        }
    }

    private static void apply(RocksStore store, long seq, String key, boolean durable) {
        store.applyOutcome(new TxId(1, 1, seq), Decision.COMMIT, List.of(new AppliedWrite(key, VALUE, 1, false)), durable);
    }
}
