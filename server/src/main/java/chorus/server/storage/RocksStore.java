package chorus.server.storage;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.StoredValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's data and protocol records in one RocksDB database, one column family each, so that
 * a commit's data writes, the removal of its prepare and the memory of its outcome are a single
 * atomic batch. Durable writes go through a {@link GroupCommitter}.
 */
public final class RocksStore implements ReplicaStore {

    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);
    private static final byte[] INCARNATION = "incarnation".getBytes(StandardCharsets.UTF_8);
    /**
     * Memtable of the data: a PREPARE or a client read of a key not held in memory (the protocol's
     * KnownState) searches it, and every apply adds one version. Small, because each write of a hot key adds a version: with 16 MB the five
     * replicas' skip lists spread over 80 MB, and their searches and inserts missed the caches
     * (4 MB: 40 % fewer skip-list samples per write; performance.md, seventh round).
     */
    static final long DATA_WRITE_BUFFER_BYTES = 4L * 1024 * 1024;
    /**
     * Memtable of each protocol-record family (prepared, commits, outcomes, meta). Their records
     * live briefly or are seldom read, so a small memtable does: with 16 MB, like the data's, these
     * four families held up to 128 MB more of a replica's resident memory under sustained writes.
     */
    static final long RECORD_WRITE_BUFFER_BYTES = 2L * 1024 * 1024;

    static {
        RocksNative.load();
    }

    private final Path dir;
    private final LongSupplier clock;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions dataOptions;
    private final ColumnFamilyOptions recordOptions;
    private final LRUCache cache;
    private final BloomFilter filter = new BloomFilter(10);
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle data;
    private final ColumnFamilyHandle prepared;
    private final ColumnFamilyHandle commits;
    private final ColumnFamilyHandle outcomes;
    private final ColumnFamilyHandle meta;
    private final WriteOptions unsynced = new WriteOptions();
    private final GroupCommitter committer;
    private final Statistics statistics;
    private final AtomicLong keyCount = new AtomicLong();

    private RocksStore(Path dir, LongSupplier clock) throws RocksDBException {
        this.dir = dir;
        this.clock = clock;
        this.cache = new LRUCache(32L * 1024 * 1024);
        this.dataOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(DATA_WRITE_BUFFER_BYTES)
                // Every PREPARE asks whether its new transaction is already known as aborted, a
                // lookup that misses, and so do the loads' first writes of new keys. Bloom filters
                // answer a miss without searching the memtable's skip list or reading a table's
                // blocks (the skip list's share of lookups fell by 40 %; the CPU it saved went to
                // inserts that the lookups used to bring into the cache: performance.md, sixth round).
                .setMemtablePrefixBloomSizeRatio(0.02)
                .setMemtableWholeKeyFiltering(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter));
        this.recordOptions = new ColumnFamilyOptions(dataOptions).setWriteBufferSize(RECORD_WRITE_BUFFER_BYTES);
        this.statistics = new Statistics();
        this.statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
        this.dbOptions = new DBOptions()
                .setStatistics(statistics)
                // Writers waiting for a group's sync block instead of spinning: 2 cores, 5 replicas.
                .setEnableWriteThreadAdaptiveYield(false)
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(3);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, recordOptions),
                new ColumnFamilyDescriptor(bytes("data"), dataOptions),
                new ColumnFamilyDescriptor(bytes("prepared"), recordOptions),
                new ColumnFamilyDescriptor(bytes("commits"), recordOptions),
                new ColumnFamilyDescriptor(bytes("outcomes"), recordOptions),
                new ColumnFamilyDescriptor(bytes("meta"), recordOptions));
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        this.data = handles.get(1);
        this.prepared = handles.get(2);
        this.commits = handles.get(3);
        this.outcomes = handles.get(4);
        this.meta = handles.get(5);
        this.committer = new GroupCommitter(db, statistics);
    }

    /**
     * Opens (or creates) the store in {@code dir}. Refuses, with a message that names the directory
     * and the cause, a directory that is unwritable, locked by another process, or corrupted.
     */
    public static RocksStore open(Path dir, LongSupplier clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new StorageException("data directory " + dir + " is not writable");
        }
        RocksStore store;
        try {
            store = new RocksStore(dir, clock);
        } catch (RocksDBException e) {
            throw new StorageException(explain(dir, e), e);
        }
        try {
            store.countKeys();
        } catch (RuntimeException e) {
            store.close();
            throw new StorageException("data in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return store;
    }

    private static String explain(Path dir, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("lock") && (msg.contains("Resource temporarily unavailable") || msg.contains("lock hold"))) {
            return "data directory " + dir + " is in use by another replica process (its LOCK file is held)";
        }
        if (msg.contains("Permission denied")) {
            return "data directory " + dir + " is not writable: " + msg;
        }
        if (msg.startsWith("Corruption") || msg.contains("corrupt") || msg.contains("truncated") || msg.contains("size mismatch")) {
            return "storage in " + dir + " is corrupted, refusing to start rather than start empty: " + msg;
        }
        return "cannot open storage in " + dir + ": " + msg;
    }

    private void countKeys() {
        long n = 0;
        try (RocksIterator it = db.newIterator(data)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Codec.value(it.value()).present()) {
                    n++;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException(explain(dir, e), e);
        }
        keyCount.set(n);
    }

    @Override
    public synchronized long nextIncarnation() {
        try {
            byte[] b = db.get(meta, INCARNATION);
            long next = (b == null ? 0 : ByteBuffer.wrap(b).getLong()) + 1;
            byte[] v = ByteBuffer.allocate(8).putLong(next).array();
            committer.write(batch -> batch.put(meta, INCARNATION, v));
            return next;
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the incarnation in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StoredValue read(String key) {
        try {
            return Codec.value(db.get(data, Codec.key(key)));
        } catch (RocksDBException e) {
            throw new StorageException("read of a key failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void savePrepared(PreparedRecord record, boolean durable) {
        byte[] k = Codec.txId(record.txId());
        byte[] v = Codec.prepared(record);
        if (durable) {
            committer.write(batch -> batch.put(prepared, k, v));
        } else {
            try {
                db.put(prepared, unsynced, k, v);
            } catch (RocksDBException e) {
                throw new StorageException("write of a prepare record failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable) {
        byte[] tx = Codec.txId(txId);
        long delta = 0;
        for (AppliedWrite w : writes) {
            delta += (w.value() != null ? 1 : 0) - (w.wasPresent() ? 1 : 0);
        }
        GroupCommitter.Ops ops = batch -> {
            for (AppliedWrite w : writes) {
                batch.put(data, Codec.key(w.key()), Codec.value(w.value(), w.version()));
            }
            batch.delete(prepared, tx);
            batch.put(outcomes, tx, Codec.outcome(decision, clock.getAsLong()));
        };
        if (durable) {
            committer.write(ops);
        } else {
            try (WriteBatch batch = new WriteBatch()) {
                ops.addTo(batch);
                db.write(unsynced, batch);
            } catch (RocksDBException e) {
                throw new StorageException("write failed: " + e.getMessage(), e);
            }
        }
        keyCount.addAndGet(delta);
    }

    @Override
    public long writtenThrough() {
        return db.getLatestSequenceNumber();
    }

    @Override
    public long syncedThrough() {
        return committer.syncedThrough();
    }

    @Override
    public void sync() {
        committer.write(null);
    }

    @Override
    public void refuse(TxId txId) {
        byte[] tx = Codec.txId(txId);
        byte[] v = Codec.outcome(Decision.ABORT, clock.getAsLong());
        committer.write(batch -> batch.put(outcomes, tx, v));
    }

    @Override
    public Optional<Decision> outcome(TxId txId) {
        try {
            byte[] b = db.get(outcomes, Codec.txId(txId));
            return b == null ? Optional.empty() : Optional.of(Codec.outcomeDecision(b));
        } catch (RocksDBException e) {
            throw new StorageException("read of an outcome failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void saveCommit(CommitRecord record) {
        byte[] k = Codec.txId(record.txId());
        byte[] v = Codec.commit(record);
        committer.write(batch -> batch.put(commits, k, v));
    }

    @Override
    public void forgetCommit(TxId txId) {
        try {
            db.delete(commits, unsynced, Codec.txId(txId));
        } catch (RocksDBException e) {
            throw new StorageException("delete of a commit record failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<PreparedRecord> preparedRecords() {
        List<PreparedRecord> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(prepared)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(Codec.prepared(it.value()));
            }
            it.status();
        } catch (RocksDBException | IOException e) {
            throw new StorageException("prepared records in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<CommitRecord> commitRecords() {
        List<CommitRecord> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(commits)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(Codec.commit(it.value()));
            }
            it.status();
        } catch (RocksDBException | IOException e) {
            throw new StorageException("commit records in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<KeyEntry> scan(String afterKey, int limit) {
        List<KeyEntry> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(data)) {
            if (afterKey.isEmpty()) {
                it.seekToFirst();
            } else {
                it.seek(Codec.key(afterKey));
                if (it.isValid() && Codec.key(it.key()).equals(afterKey)) {
                    it.next();
                }
            }
            for (; it.isValid() && out.size() < limit; it.next()) {
                StoredValue v = Codec.value(it.value());
                if (v.present()) {
                    out.add(new KeyEntry(Codec.key(it.key()), v.value(), v.version(), null));
                }
            }
        }
        return out;
    }

    @Override
    public long keyCount() {
        return keyCount.get();
    }

    @Override
    public void forgetOutcomesBefore(long millis) {
        List<byte[]> old = new ArrayList<>();
        try (RocksIterator it = db.newIterator(outcomes)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Codec.outcomeTime(it.value()) < millis) {
                    old.add(it.key());
                }
            }
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[] k : old) {
                batch.delete(outcomes, k);
            }
            db.write(unsynced, batch);
        } catch (RocksDBException e) {
            LOG.warn("could not forget old outcomes: {}", e.getMessage());
        }
    }

    /** Synced writes so far and the groups they were written in; their ratio is the batching gain. */
    public long syncedWrites() {
        return committer.writes();
    }

    public long syncGroups() {
        return committer.groups();
    }

    @Override
    public void close() {
        committer.close();
        // What group commit achieved over this run, for anyone tuning it.
        LOG.info("storage closed: {} durable writes in {} syncs", committer.writes(), committer.groups());
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        unsynced.close();
        dbOptions.close();
        dataOptions.close();
        recordOptions.close();
        cache.close();
        filter.close();
        statistics.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
