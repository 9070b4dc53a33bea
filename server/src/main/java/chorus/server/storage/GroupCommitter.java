package chorus.server.storage;

import chorus.server.protocol.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Turns many concurrent durable writes into one synced RocksDB write: callers queue their batch
 * and wait; a single writer thread takes everything queued, writes it as one batch with
 * {@code sync=true}, and releases all the callers. Under load the cost of an fsync is shared by
 * every transaction that arrived while the previous one ran.
 */
final class GroupCommitter implements AutoCloseable {

    /** One caller's writes, applied atomically together with whatever shares its group. */
    interface Ops {
        void addTo(WriteBatch batch) throws RocksDBException;
    }

    private record Request(Ops ops, CompletableFuture<Void> done) {
    }

    private static final int MAX_GROUP = 1024;
    private static final Request STOP = new Request(b -> { }, new CompletableFuture<>());

    private final RocksDB db;
    private final WriteOptions sync = new WriteOptions().setSync(true);
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    /** RocksDB's sequence number that the last completed synced write covers (see {@link #commit}). */
    private final AtomicLong syncedThrough = new AtomicLong();
    private volatile boolean closed;

    GroupCommitter(RocksDB db, String name) {
        this.db = db;
        this.writer = new Thread(this::run, name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Returns once {@code ops} are synced to disk; {@code null} ops only sync what is written already. */
    void write(Ops ops) {
        if (closed) {
            throw new StorageException("storage is closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Request(ops, done));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a synced write", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException se ? se : new StorageException("synced write failed", e.getCause());
        }
    }

    long groups() {
        return groups.get();
    }

    long writes() {
        return writes.get();
    }

    long syncedThrough() {
        return syncedThrough.get();
    }

    private void run() {
        List<Request> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            boolean stop = group.remove(STOP);
            if (!group.isEmpty()) {
                commit(group);
            }
            group.clear();
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Request> group) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Request r : group) {
                if (r.ops != null) {
                    r.ops.addTo(batch);
                }
            }
            // Every write whose sequence number is published now is in the log before this one, and
            // syncing the log makes them durable with it (the log is synced as a whole, in order).
            long covered = db.getLatestSequenceNumber();
            if (batch.count() > 0) {
                db.write(sync, batch);
            } else {
                db.syncWal();
            }
            syncedThrough.accumulateAndGet(covered, Math::max);
            groups.incrementAndGet();
            writes.addAndGet(group.size());
            group.forEach(r -> r.done.complete(null));
        } catch (RocksDBException | RuntimeException e) {
            StorageException failure = new StorageException("synced write failed: " + e.getMessage(), e);
            group.forEach(r -> r.done.completeExceptionally(failure));
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Request r; (r = queue.poll()) != null; ) {
            r.done.completeExceptionally(new StorageException("storage closed before the write"));
        }
        sync.close();
    }
}
