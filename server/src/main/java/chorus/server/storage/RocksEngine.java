package chorus.server.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB database with its column families and native options: what {@link RocksStore}
 * closes and opens again when writes failed (RocksJava 10.10 has no {@code resume()}). Every native
 * object it made is closed with it.
 */
final class RocksEngine implements AutoCloseable {

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
    /** Old write-ahead logs kept for reuse (see the options below). */
    static final int WAL_RECYCLED = 4;
    /** Beyond this much write-ahead log, RocksDB flushes what holds the oldest log so it can go. */
    static final long MAX_TOTAL_WAL_BYTES = 16L * 1024 * 1024;

    static {
        RocksNative.load();
    }

    final RocksDB db;
    final ColumnFamilyHandle data;
    final ColumnFamilyHandle prepared;
    final ColumnFamilyHandle commits;
    final ColumnFamilyHandle outcomes;
    final ColumnFamilyHandle meta;
    /**
     * The change log: apply sequence number (8 bytes, big-endian) to one applied write. Opening a
     * data directory written before the log existed creates it (create-missing-column-families).
     */
    final ColumnFamilyHandle changes;
    final WriteOptions unsynced = new WriteOptions();
    final GroupCommitter committer;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions dataOptions;
    private final ColumnFamilyOptions recordOptions;
    private final ColumnFamilyOptions changeOptions;
    private final LRUCache cache;
    private final BloomFilter filter = new BloomFilter(10);
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final Statistics statistics;

    /**
     * @param syncedFrom where the synced mark of the engine before this one stood: the mark never
     *                   goes back, and everything the previous engine synced stays synced
     */
    RocksEngine(Path dir, long syncedFrom) throws RocksDBException {
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
        // Read only by seeking to a sequence number, never looked up by key: no filters, whose
        // memory and inserts would buy nothing.
        this.changeOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(RECORD_WRITE_BUFFER_BYTES)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
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
                .setKeepLogFileNum(3)
                // Reuses old write-ahead logs in place. Appending to a new log changes the file's
                // size, so each sync also writes the inode (this machine's ext4 has no journal: a
                // second synchronous write); a recycled log is overwritten within its size and the
                // sync writes data only. A synced 150-byte write fell from 131 to 91 us (p50) in one
                // process. Safe with point-in-time recovery since RocksDB 9.x (facebook/rocksdb#12403;
                // we never write with the WAL disabled, the one combination it rules out).
                .setRecycleLogFileNum(WAL_RECYCLED)
                // Old logs become free (and recyclable) only once every column family that wrote to
                // them has flushed; the rarely written ones (meta, outcomes) would keep them alive
                // up to RocksDB's default bound, a multiple of all the write buffers. This bound also
                // caps what a restart replays.
                .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, recordOptions),
                new ColumnFamilyDescriptor(bytes("data"), dataOptions),
                new ColumnFamilyDescriptor(bytes("prepared"), recordOptions),
                new ColumnFamilyDescriptor(bytes("commits"), recordOptions),
                new ColumnFamilyDescriptor(bytes("outcomes"), recordOptions),
                new ColumnFamilyDescriptor(bytes("meta"), recordOptions),
                new ColumnFamilyDescriptor(bytes("changes"), changeOptions));
        try {
            this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw e;
        }
        this.data = handles.get(1);
        this.prepared = handles.get(2);
        this.commits = handles.get(3);
        this.outcomes = handles.get(4);
        this.meta = handles.get(5);
        this.changes = handles.get(6);
        this.committer = new GroupCommitter(db, statistics, syncedFrom);
    }

    @Override
    public void close() {
        committer.close();
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        closeOptions();
    }

    private void closeOptions() {
        unsynced.close();
        dbOptions.close();
        dataOptions.close();
        recordOptions.close();
        changeOptions.close();
        cache.close();
        filter.close();
        statistics.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
