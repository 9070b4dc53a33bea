package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Decision;
import chorus.api.model.View;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.Change;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.StoredValue;
import chorus.server.protocol.TxAge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RocksStoreTest {

    @TempDir
    Path dir;

    private RocksStore open() {
        return RocksStore.open(dir.resolve("db"), System::currentTimeMillis);
    }

    @Test
    void everythingSurvivesAReopen() {
        TxId prepared = new TxId(1, 1, 1);
        TxId committed = new TxId(1, 1, 2);
        try (RocksStore s = open()) {
            assertThat(s.nextIncarnation()).isEqualTo(1);
            s.savePrepared(new PreparedRecord(prepared, new TxAge(5, 1, 1), List.of(Mutation.put("a", "é😀\n"), Mutation.delete("b")),
                    Map.of("a", 1L, "b", 4L), 99, new View(3, List.of(1, 2, 4))));
            s.saveCommit(new CommitRecord(committed, List.of("c"), "put c", 7, new View(2, List.of(1, 2, 4, 5))));
            s.saveMeta("membership", new byte[] {1, 2, 3});
            s.applyOutcome(committed, Decision.COMMIT, List.of(new AppliedWrite("c", "v", 1, false), new AppliedWrite("d", null, 3, false)), true);
        }
        try (RocksStore s = open()) {
            assertThat(s.nextIncarnation()).isEqualTo(2);
            assertThat(s.preparedRecords()).singleElement().satisfies(r -> {
                assertThat(r.txId()).isEqualTo(prepared);
                assertThat(r.mutations()).containsExactly(Mutation.put("a", "é😀\n"), Mutation.delete("b"));
                assertThat(r.versions()).containsEntry("b", 4L);
                assertThat(r.age()).isEqualTo(new TxAge(5, 1, 1));
                assertThat(r.view()).isEqualTo(new View(3, List.of(1, 2, 4)));
            });
            assertThat(s.commitRecords()).extracting(CommitRecord::txId).containsExactly(committed);
            assertThat(s.commitRecords()).extracting(CommitRecord::view).containsExactly(new View(2, List.of(1, 2, 4, 5)));
            assertThat(s.meta("membership")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
            assertThat(s.meta("incarnation")).as("a name of the store's own is not reached").isEmpty();
            assertThat(s.read("c").value()).isEqualTo("v");
            assertThat(s.read("d").present()).isFalse();
            assertThat(s.read("d").version()).isEqualTo(3);
            assertThat(s.outcome(committed)).contains(Decision.COMMIT);
            assertThat(s.keyCount()).isEqualTo(1);
        }
    }

    @Test
    void scansSkipTombstonesAndPageAfterAKey() {
        try (RocksStore s = open()) {
            List<AppliedWrite> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(new AppliedWrite("k" + i, i == 3 ? null : "v" + i, 1, false));
            }
            s.applyOutcome(new TxId(1, 1, 1), Decision.COMMIT, writes, true);
            assertThat(s.keyCount()).isEqualTo(9);
            assertThat(s.scan("", 3)).extracting(e -> e.key()).containsExactly("k0", "k1", "k2");
            assertThat(s.scan("k2", 3)).extracting(e -> e.key()).containsExactly("k4", "k5", "k6");
        }
    }

    @Test
    void theKeyCountFollowsOverwritesAndDeletesAndAgreesAfterAReopen() {
        try (RocksStore s = open()) {
            s.applyOutcome(new TxId(1, 1, 1), Decision.COMMIT,
                    List.of(new AppliedWrite("a", "1", 1, false), new AppliedWrite("b", "1", 1, false), new AppliedWrite("c", null, 1, false)), true);
            assertThat(s.keyCount()).isEqualTo(2);
            // a overwritten, b deleted, c (a tombstone) written again
            s.applyOutcome(new TxId(1, 1, 2), Decision.COMMIT,
                    List.of(new AppliedWrite("a", "2", 2, true), new AppliedWrite("b", null, 2, true), new AppliedWrite("c", "2", 2, false)), true);
            assertThat(s.keyCount()).isEqualTo(2);
            s.applyOutcome(new TxId(1, 1, 3), Decision.ABORT, List.of(), false);
            assertThat(s.keyCount()).isEqualTo(2);
        }
        try (RocksStore s = open()) {
            assertThat(s.keyCount()).isEqualTo(2);
            assertThat(s.read("b").present()).isFalse();
        }
    }

    @Test
    void prunedChangesAreDeletedNotOnlyHidden() {
        try (RocksStore s = RocksStore.open(dir.resolve("db"), System::currentTimeMillis, 2)) {
            for (int i = 1; i <= 10; i++) {
                s.applyOutcome(new TxId(1, 1, i), Decision.COMMIT, List.of(new AppliedWrite("k" + i, "v", 1, false)), false);
            }
        }
        // Opened to keep more than it did: only what is still stored can come back.
        try (RocksStore s = RocksStore.open(dir.resolve("db"), System::currentTimeMillis, 100)) {
            assertThat(s.lastApplySeq()).isEqualTo(10);
            ChangesPage page = s.changesAfter(0, 100);
            assertThat(page.truncated()).isTrue();
            assertThat(page.oldestRetainedSeq()).isBetween(2L, 9L);
            assertThat(s.changesAfter(page.oldestRetainedSeq() - 1, 100).changes()).extracting(Change::seq)
                    .startsWith(page.oldestRetainedSeq()).endsWith(10L).doesNotHaveDuplicates();
        }
    }

    @Test
    void concurrentAppliesAreNumberedWithoutGapsAndAReaderNeverSkipsOne() throws Exception {
        int writes = 400;
        try (RocksStore s = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                int n = i;
                fs.add(pool.submit(() -> s.applyOutcome(new TxId(1, 1, n + 1), Decision.COMMIT,
                        List.of(new AppliedWrite("k" + n, "v" + n, 1, false)), n % 2 == 0)));
            }
            // Pages read while the writes go on: each starts right after the last one read.
            long position = 0;
            while (position < writes) {
                for (Change c : s.changesAfter(position, 50).changes()) {
                    assertThat(c.seq()).isEqualTo(position + 1);
                    assertThat(c.key()).isEqualTo("k" + (c.txId().sequence() - 1));
                    position = c.seq();
                }
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(s.lastApplySeq()).isEqualTo(writes);
        }
    }

    @Test
    void theKeyCountAfterInstallsAlongsideAppliesAgreesWithAReopen() throws Exception {
        try (RocksStore s = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> applies = pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    s.applyOutcome(new TxId(1, 1, i + 1), Decision.COMMIT, List.of(new AppliedWrite("applied" + i, "v", 1, false)), i % 10 == 0);
                }
            });
            Future<?> installs = pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    s.install(List.of(new StoredEntry("copied" + i, i % 3 == 0 ? null : "v", 2)), i % 10 == 0);
                }
            });
            applies.get(30, TimeUnit.SECONDS);
            installs.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(s.lastApplySeq()).isEqualTo(400);
            assertThat(s.keyCount()).isEqualTo(200 + 133);
        }
        try (RocksStore s = open()) {
            assertThat(s.keyCount()).isEqualTo(200 + 133);
            assertThat(s.changesAfter(0, 1000).changes()).hasSize(400);
        }
    }

    @Test
    void concurrentDurableWritesShareSyncs() throws Exception {
        try (RocksStore s = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                fs.add(pool.submit(() -> s.applyOutcome(new TxId(1, 1, n + 1), Decision.COMMIT,
                        List.of(new AppliedWrite("k" + n, "v", 1, false)), true)));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(s.syncedWrites()).isEqualTo(400);
            assertThat(s.syncGroups()).isLessThanOrEqualTo(400);
            assertThat(s.keyCount()).isEqualTo(400);
        }
    }

    @Test
    void aSyncCoversTheWritesBeforeItAndSaysHowFar() {
        try (RocksStore s = open()) {
            s.applyOutcome(new TxId(1, 1, 1), Decision.COMMIT, List.of(new AppliedWrite("a", "v", 1, false)), true);
            long syncedBefore = s.syncedThrough();
            s.applyOutcome(new TxId(1, 1, 2), Decision.COMMIT, List.of(new AppliedWrite("b", "v", 1, false)), false);
            long applied = s.writtenThrough();
            assertThat(s.syncedThrough()).isEqualTo(syncedBefore).isLessThan(applied);

            // A durable write of something else carries the unsynced apply before it to disk.
            s.refuse(new TxId(1, 1, 3));
            assertThat(s.syncedThrough()).isGreaterThanOrEqualTo(applied);

            s.applyOutcome(new TxId(1, 1, 4), Decision.COMMIT, List.of(new AppliedWrite("c", "v", 1, false)), false);
            long applied2 = s.writtenThrough();
            s.sync();
            assertThat(s.syncedThrough()).isGreaterThanOrEqualTo(applied2);
        }
    }

    @Test
    void aDirectoryInUseByAnotherStoreIsRefusedByName() {
        try (RocksStore s = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                    .hasMessageContaining(dir.resolve("db").toString())
                    .hasMessageContaining("in use by another replica process");
        }
    }

    @Test
    void corruptedStorageIsRefusedRatherThanStartedEmpty() throws IOException {
        try (RocksStore s = open()) {
            s.applyOutcome(new TxId(1, 1, 1), Decision.COMMIT, List.of(new AppliedWrite("k", "v", 1, false)), true);
        }
        Path manifest;
        try (Stream<Path> files = Files.list(dir.resolve("db"))) {
            manifest = files.filter(p -> p.getFileName().toString().startsWith("MANIFEST")).findFirst().orElseThrow();
        }
        Files.write(manifest, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(dir.resolve("db").toString())
                .hasMessageContaining("refusing to start");
    }

    @Test
    void aDataDirectoryWrittenBeforeTheChangeLogOpensAndGainsIt() throws Exception {
        Path db = dir.resolve("db");
        writeOldFormat(db, "a", "v", 3);
        try (RocksStore s = open()) {
            assertThat(s.read("a")).isEqualTo(new StoredValue("v", 3));
            assertThat(s.keyCount()).isEqualTo(1);
            assertThat(s.lastApplySeq()).isZero();
            s.applyOutcome(new TxId(1, 1, 1), Decision.COMMIT, List.of(new AppliedWrite("a", "w", 4, true)), true);
            assertThat(s.changesAfter(0, 10).changes()).extracting(Change::seq).containsExactly(1L);
        }
        try (Options options = new Options()) {
            assertThat(RocksDB.listColumnFamilies(options, db.toString()))
                    .extracting(b -> new String(b, StandardCharsets.UTF_8)).contains("data", "changes");
        }
    }

    /** A data directory as the store wrote it before the change log: six column families, no {@code changes}. */
    static void writeOldFormat(Path db, String key, String value, long version) throws RocksDBException {
        RocksNative.load();
        List<ColumnFamilyDescriptor> families = Stream.of("default", "data", "prepared", "commits", "outcomes", "meta")
                .map(n -> new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8))).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB rocks = RocksDB.open(options, db.toString(), families, handles)) {
            try {
                rocks.put(handles.get(1), Codec.key(key), Codec.value(value, version));
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws IOException {
        Files.writeString(dir.resolve("db"), "not a directory");
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class).hasMessageContaining(dir.resolve("db").toString());
    }
}
