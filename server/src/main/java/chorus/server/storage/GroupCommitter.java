package chorus.server.storage;

import chorus.server.protocol.StorageException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Durable writes, made by the calling thread with {@code sync=true}. Concurrent callers share one
 * sync: RocksDB's write thread makes the first of them the leader of a group, writes everyone's
 * batches to the log and syncs it once (with adaptive yielding off, so that the others block
 * rather than spin on this small machine). An earlier version queued the writes to a thread of its
 * own; doing it in the caller saves two thread hand-offs per durable write.
 */
final class GroupCommitter implements AutoCloseable {

    /** One caller's writes, applied atomically. */
    interface Ops {
        void addTo(WriteBatch batch) throws RocksDBException;
    }

    private final RocksDB db;
    private final Statistics statistics;
    private final WriteOptions sync = new WriteOptions().setSync(true);
    private final AtomicLong writes = new AtomicLong();
    /** RocksDB's sequence number that a completed synced write is known to cover (see {@link #write}). */
    private final AtomicLong syncedThrough = new AtomicLong();
    /** Writes hold it shared; closing takes it exclusively, so that no write runs into a closed database. */
    private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed;

    GroupCommitter(RocksDB db, Statistics statistics, long syncedFrom) {
        this.db = db;
        this.statistics = statistics;
        this.syncedThrough.set(syncedFrom);
    }

    /** Returns once {@code ops} are synced to disk; {@code null} ops only sync what is written already. */
    void write(Ops ops) {
        open.readLock().lock();
        try {
            if (closed) {
                throw new StorageException("storage is closed");
            }
            writeOpen(ops);
        } finally {
            open.readLock().unlock();
        }
    }

    private void writeOpen(Ops ops) {
        // Every write whose sequence number is published now is in the log before this one, and
        // syncing the log makes them durable with it (the log is synced as a whole, in order).
        long covered = db.getLatestSequenceNumber();
        try {
            if (ops == null) {
                db.syncWal();
            } else {
                try (WriteBatch batch = new WriteBatch()) {
                    ops.addTo(batch);
                    db.write(sync, batch);
                }
            }
        } catch (RocksDBException e) {
            throw new StorageException("synced write failed: " + e.getMessage(), e);
        }
        writes.incrementAndGet();
        syncedThrough.accumulateAndGet(covered, Math::max);
    }

    /** Syncs of the log so far (one per group of concurrent durable writes). */
    long groups() {
        return statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
    }

    long writes() {
        return writes.get();
    }

    long syncedThrough() {
        return syncedThrough.get();
    }

    @Override
    public void close() {
        try {
            if (!open.writeLock().tryLock(10, TimeUnit.SECONDS)) {
                throw new StorageException("durable writes still running after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while closing", e);
        }
        try {
            closed = true;
        } finally {
            open.writeLock().unlock();
        }
        sync.close();
    }
}
