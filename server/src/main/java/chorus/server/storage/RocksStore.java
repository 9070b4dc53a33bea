package chorus.server.storage;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.Change;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.StorageHealth;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.StoredValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's data and protocol records in one RocksDB database, one column family each, so that
 * a commit's data writes, their entries in the change log, the removal of its prepare and the
 * memory of its outcome are a single atomic batch. Durable writes go through a {@link GroupCommitter}.
 *
 * <p>A write that fails (a full disk) turns the store's {@link #health()} to failing and starts a
 * {@link RecoveryProbe}: once a small synced write succeeds again, by RocksDB's own recovery or
 * after this store closed and reopened the database, the store is writable again. The reopen
 * loses nothing that a write reported done: a write is done once it is in RocksDB's log, which the
 * reopen replays (unsynced writes too, since the process, and so the page cache, lives on).
 */
public final class RocksStore implements ReplicaStore {

    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);
    private static final byte[] INCARNATION = "incarnation".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PROBE = "write-probe".getBytes(StandardCharsets.UTF_8);
    /** Below which number the change log was last pruned (in the pruning's batch). */
    private static final byte[] CHANGES_PRUNED_BELOW = "changes-pruned-below".getBytes(StandardCharsets.UTF_8);
    /** How often a store whose writes failed tries again. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /**
     * Free space below which a reopen is not worth trying: RocksDB needs room for a new log and
     * manifest, and a memtable flush (4 MB of data) soon after.
     */
    static final long REOPEN_MIN_FREE_BYTES = 8L * 1024 * 1024;

    private final Path dir;
    private final LongSupplier clock;
    /**
     * Operations hold it shared; a reopen exclusively, so that nobody uses a closed database, and
     * an install, so that no apply writes between its reads of the stored versions and its batch.
     */
    private final ReentrantReadWriteLock engineLock = new ReentrantReadWriteLock();
    /** Null only after a reopen failed, or once closed. */
    private RocksEngine engine;
    private boolean closed;
    private final AtomicLong keyCount = new AtomicLong();
    /** Numbers of the change log; lives across reopens of the engine, as the log does. */
    private final ApplySequence sequence;
    private final WriteHealth health;
    private volatile LongConsumer durableWriteTimes = micros -> { };
    private final RecoveryProbe probe;

    private RocksStore(Path dir, LongSupplier clock, RocksEngine engine, ApplySequence sequence) {
        this.dir = dir;
        this.clock = clock;
        this.engine = engine;
        this.sequence = sequence;
        this.health = new WriteHealth(clock);
        this.probe = new RecoveryProbe("storage-probe-" + dir.getFileName(), PROBE_INTERVAL, this::tryToWriteAgain,
                () -> health.current().writable());
    }

    /**
     * Opens (or creates) the store in {@code dir}, keeping the {@link #DEFAULT_CHANGE_RETENTION}
     * newest changes. Refuses, with a message that names the directory and the cause, a directory
     * that is unwritable, locked by another process, or corrupted.
     */
    public static RocksStore open(Path dir, LongSupplier clock) {
        return open(dir, clock, DEFAULT_CHANGE_RETENTION);
    }

    /** As {@link #open(Path, LongSupplier)}, keeping the {@code changeRetention} newest changes (at least 1). */
    public static RocksStore open(Path dir, LongSupplier clock, int changeRetention) {
        if (changeRetention < 1) {
            throw new IllegalArgumentException("the change log must keep at least one change, not " + changeRetention);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new StorageException("data directory " + dir + " is not writable");
        }
        RocksEngine engine;
        try {
            engine = new RocksEngine(dir, 0);
        } catch (RocksDBException e) {
            throw new StorageException(explain(dir, e), e);
        }
        RocksStore store;
        try {
            store = new RocksStore(dir, clock, engine, recoverSequence(engine, changeRetention));
        } catch (RocksDBException | RuntimeException e) {
            engine.close();
            throw new StorageException("the change log in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        try {
            store.countKeys();
        } catch (RuntimeException e) {
            store.close();
            throw new StorageException("data in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * Where the change log stands: its newest and oldest changes. The mark of the last pruning
     * covers a log whose every change was deleted (possible only after a run of failed writes),
     * so that numbers are not handed out again.
     */
    private static ApplySequence recoverSequence(RocksEngine e, int retention) throws RocksDBException {
        byte[] mark = e.db.get(e.meta, CHANGES_PRUNED_BELOW);
        long prunedBelow = mark == null ? 0 : Codec.seq(mark);
        try (RocksIterator it = e.db.newIterator(e.changes)) {
            it.seekToLast();
            long last = it.isValid() ? Codec.seq(it.key()) : 0;
            last = Math.max(last, prunedBelow - 1);
            // Past the pruned ones, which a seek passes in one step over their range deletion.
            it.seek(Codec.seq(Math.max(prunedBelow, 1)));
            long oldest = it.isValid() ? Codec.seq(it.key()) : last + 1;
            it.status();
            return new ApplySequence(last, oldest, retention);
        }
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
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.data)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Codec.value(it.value()).present()) {
                    n++;
                }
            }
            it.status();
        } catch (RocksDBException ex) {
            throw new StorageException(explain(dir, ex), ex);
        } finally {
            release();
        }
        keyCount.set(n);
    }

    // ---------------------------------------------------------------- the engine under the lock

    /** The open engine, with the shared lock held; every caller {@link #release}s in a finally. */
    private RocksEngine acquire() {
        engineLock.readLock().lock();
        if (engine == null) {
            engineLock.readLock().unlock();
            throw unavailable();
        }
        return engine;
    }

    /** As {@link #acquire}, with the lock held exclusively; the caller unlocks the write lock in a finally. */
    private RocksEngine acquireExclusive() {
        engineLock.writeLock().lock();
        if (engine == null) {
            engineLock.writeLock().unlock();
            throw unavailable();
        }
        return engine;
    }

    private StorageException unavailable() {
        return new StorageException(closed ? "storage in " + dir + " is closed"
                : "storage in " + dir + " could not be reopened after writes failed (" + health.current().note()
                + "); trying again every " + PROBE_INTERVAL.toMillis() + " ms");
    }

    private void release() {
        engineLock.readLock().unlock();
    }

    /** Hears how long each synced write took, in microseconds (the replica's metrics). */
    public void timeDurableWrites(LongConsumer micros) {
        durableWriteTimes = micros;
    }

    /** A durable write through the group committer; a failure marks the store unhealthy. */
    private void durable(GroupCommitter.Ops ops) {
        RocksEngine e = acquire();
        try {
            long t0 = System.nanoTime();
            e.committer.write(ops);
            durableWriteTimes.accept((System.nanoTime() - t0) / 1000);
        } catch (StorageException ex) {
            throw writeFailed(ex.getMessage(), ex);
        } finally {
            release();
        }
        health.succeeded();
    }

    private void unsynced(String what, GroupCommitter.Ops ops) {
        RocksEngine e = acquire();
        try (WriteBatch batch = new WriteBatch()) {
            ops.addTo(batch);
            e.db.write(e.unsynced, batch);
        } catch (RocksDBException ex) {
            throw writeFailed(what + " failed: " + ex.getMessage(), ex);
        } finally {
            release();
        }
    }

    /**
     * Marks the store unhealthy (once) and names the failure as what it is: a full disk or not.
     * The failures that follow a full disk ("Writer has previous error") are named after it too.
     */
    private StorageException writeFailed(String failure, Exception cause) {
        String message = failure;
        long free = WriteHealth.isNoSpace(failure) ? -1 : usableSpace();
        if (free >= 0 && free < REOPEN_MIN_FREE_BYTES) {
            // The first ENOSPC may have hit RocksDB's own background work (a flush, the log's
            // preallocation), and the writes after it fail with "Writer has previous error": the
            // space left says what happened.
            message = failure + " (No space left on device: " + free + " bytes free in " + dir + ")";
        }
        if (health.failed(message)) {
            probe.start();
        }
        return new StorageException(health.describe(message), cause);
    }

    /**
     * The probe's attempt: a small synced write; if that fails while the disk has room again, the
     * engine is stuck on its earlier error (RocksDB keeps a log writer that saw an error failing
     * every later write), so close and reopen it and write again. True once a write succeeded.
     */
    private boolean tryToWriteAgain() {
        if (health.current().writable()) {
            return true;
        }
        try {
            writeProbe();
            return true;
        } catch (StorageException first) {
            long free = usableSpace();
            if (free < REOPEN_MIN_FREE_BYTES) {
                LOG.debug("still cannot write ({} bytes free in {}): {}", free, dir, first.getMessage());
                return false;
            }
            LOG.warn("writes still fail with {} bytes free in {}; reopening the database ({})", free, dir, first.getMessage());
        }
        if (!reopen()) {
            return false;
        }
        try {
            writeProbe();
            return true;
        } catch (StorageException again) {
            LOG.warn("writes fail after reopening {}: {}", dir, again.getMessage());
            return false;
        }
    }

    private void writeProbe() {
        byte[] now = ByteBuffer.allocate(8).putLong(clock.getAsLong()).array();
        durable(batch -> batch.put(metaHandle(), PROBE, now));
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Closes the engine and opens it again on the same files, with every operation held off
     * meanwhile. The new engine's synced mark starts where the old one's stood: RocksDB's sequence
     * numbers go on from the replayed log, so the marks stay comparable with what peers were told.
     */
    private boolean reopen() {
        engineLock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            long synced = 0;
            if (engine != null) {
                synced = engine.committer.syncedThrough();
                closeQuietly(engine);
                engine = null;
            }
            long start = System.nanoTime();
            engine = new RocksEngine(dir, synced);
            LOG.warn("reopened the database in {} in {} ms", dir, (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RocksDBException e) {
            LOG.warn("cannot reopen the database in {}: {}", dir, e.getMessage());
            return false;
        } finally {
            engineLock.writeLock().unlock();
        }
    }

    private static void closeQuietly(RocksEngine e) {
        try {
            e.close();
        } catch (RuntimeException ex) {
            LOG.warn("closing the failed database: {}", ex.getMessage());
        }
    }

    // ---------------------------------------------------------------- ReplicaStore

    @Override
    public StorageHealth health() {
        return health.current();
    }

    @Override
    public void onHealthChange(Consumer<StorageHealth> listener) {
        health.listen(listener);
    }

    @Override
    public Optional<byte[]> meta(String name) {
        RocksEngine e = acquire();
        try {
            return Optional.ofNullable(e.db.get(e.meta, metaKey(name)));
        } catch (RocksDBException ex) {
            throw new StorageException("cannot read '" + name + "' in " + dir + ": " + ex.getMessage(), ex);
        } finally {
            release();
        }
    }

    @Override
    public void saveMeta(String name, byte[] value) {
        byte[] key = metaKey(name);
        byte[] copy = value.clone();
        durable(batch -> batch.put(metaHandle(), key, copy));
    }

    /** Under a prefix of their own, so that no name given from outside can overwrite the store's own records. */
    private static byte[] metaKey(String name) {
        return ("record." + name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized long nextIncarnation() {
        byte[] b;
        RocksEngine e = acquire();
        try {
            b = e.db.get(e.meta, INCARNATION);
        } catch (RocksDBException ex) {
            throw new StorageException("cannot read the incarnation in " + dir + ": " + ex.getMessage(), ex);
        } finally {
            release();
        }
        long next = (b == null ? 0 : ByteBuffer.wrap(b).getLong()) + 1;
        byte[] v = ByteBuffer.allocate(8).putLong(next).array();
        durable(batch -> batch.put(metaHandle(), INCARNATION, v));
        return next;
    }

    @Override
    public StoredValue read(String key) {
        RocksEngine e = acquire();
        try {
            return Codec.value(e.db.get(e.data, Codec.key(key)));
        } catch (RocksDBException ex) {
            throw new StorageException("read of a key failed: " + ex.getMessage(), ex);
        } finally {
            release();
        }
    }

    @Override
    public void savePrepared(PreparedRecord record) {
        byte[] k = Codec.txId(record.txId());
        byte[] v = Codec.prepared(record);
        durable(batch -> batch.put(preparedHandle(), k, v));
    }

    @Override
    public void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable) {
        byte[] tx = Codec.txId(txId);
        long delta = 0;
        for (AppliedWrite w : writes) {
            delta += (w.value() != null ? 1 : 0) - (w.wasPresent() ? 1 : 0);
        }
        // Each committed write is numbered in the change log, in the batch of the write itself: one
        // more put each, no more syncs or reads.
        ApplySequence.Claim claim = decision == Decision.COMMIT && !writes.isEmpty() ? sequence.claim(writes.size()) : null;
        try {
            GroupCommitter.Ops ops = batch -> {
                RocksEngine e = engine;
                for (int i = 0; i < writes.size(); i++) {
                    AppliedWrite w = writes.get(i);
                    batch.put(e.data, Codec.key(w.key()), Codec.value(w.value(), w.version()));
                    if (claim != null) {
                        batch.put(e.changes, Codec.seq(claim.first() + i), Codec.change(w.key(), w.value(), w.version(), txId));
                    }
                }
                prune(batch, e, claim);
                batch.delete(e.prepared, tx);
                batch.put(e.outcomes, tx, Codec.outcome(decision, clock.getAsLong()));
            };
            if (durable) {
                durable(ops);
            } else {
                unsynced("write", ops);
            }
        } finally {
            if (claim != null) {
                sequence.done(claim);
            }
        }
        keyCount.addAndGet(delta);
    }

    /** Adds the pruning of the change log that {@code claim} asks for, with its mark, to {@code batch}. */
    private static void prune(WriteBatch batch, RocksEngine e, ApplySequence.Claim claim) throws RocksDBException {
        if (claim != null && claim.pruneBelow() > 0) {
            batch.deleteRange(e.changes, Codec.seq(0), Codec.seq(claim.pruneBelow()));
            batch.put(e.meta, CHANGES_PRUNED_BELOW, Codec.seq(claim.pruneBelow()));
        }
    }

    @Override
    public long lastApplySeq() {
        return sequence.last();
    }

    @Override
    public ChangesPage changesAfter(long afterSeq, int limit) {
        ChangesPage.checkRequest(afterSeq, limit);
        // Read before the iterator opens: every change numbered up to it is written, so the
        // iterator holds it.
        long last = sequence.last();
        List<Change> out = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.changes)) {
            long oldest = sequence.oldestRetained(last);
            if (afterSeq + 1 < oldest) {
                return new ChangesPage(afterSeq, List.of(), oldest, last);
            }
            for (it.seek(Codec.seq(afterSeq + 1)); it.isValid() && out.size() < limit; it.next()) {
                long seq = Codec.seq(it.key());
                if (seq > last) {
                    break;
                }
                out.add(Codec.change(seq, it.value()));
            }
            it.status();
            return new ChangesPage(afterSeq, out, oldest, last);
        } catch (RocksDBException ex) {
            throw new StorageException("the change log in " + dir + " cannot be read: " + ex.getMessage(), ex);
        } finally {
            release();
        }
    }

    @Override
    public int install(List<StoredEntry> entries, boolean durable) {
        List<StoredEntry> newer = new ArrayList<>();
        RocksEngine e = acquireExclusive();
        try {
            long delta = 0;
            // Each key's state as of the entries before, for a key that comes twice.
            Map<String, StoredValue> stored = new HashMap<>();
            for (StoredEntry entry : entries) {
                StoredValue was = stored.get(entry.key());
                if (was == null) {
                    was = Codec.value(e.db.get(e.data, Codec.key(entry.key())));
                }
                if (entry.version() > was.version()) {
                    newer.add(entry);
                    delta += (entry.present() ? 1 : 0) - (was.present() ? 1 : 0);
                    was = new StoredValue(entry.value(), entry.version());
                }
                stored.put(entry.key(), was);
            }
            if (newer.isEmpty()) {
                return 0;
            }
            ApplySequence.Claim claim = sequence.claim(newer.size());
            try {
                unsynced("install", batch -> {
                    for (int i = 0; i < newer.size(); i++) {
                        StoredEntry w = newer.get(i);
                        batch.put(e.data, Codec.key(w.key()), Codec.value(w.value(), w.version()));
                        batch.put(e.changes, Codec.seq(claim.first() + i), Codec.change(w.key(), w.value(), w.version(), null));
                    }
                    prune(batch, e, claim);
                });
            } finally {
                sequence.done(claim);
            }
            keyCount.addAndGet(delta);
        } catch (RocksDBException ex) {
            throw new StorageException("read of a key to install failed: " + ex.getMessage(), ex);
        } finally {
            engineLock.writeLock().unlock();
        }
        // Synced after the exclusive lock is let go: nobody waits for this sync but the caller, and
        // it may share a group commit with the applies that went on meanwhile.
        if (durable) {
            sync();
        }
        return newer.size();
    }

    @Override
    public long writtenThrough() {
        RocksEngine e = acquire();
        try {
            return e.db.getLatestSequenceNumber();
        } finally {
            release();
        }
    }

    @Override
    public long syncedThrough() {
        RocksEngine e = acquire();
        try {
            return e.committer.syncedThrough();
        } finally {
            release();
        }
    }

    @Override
    public void sync() {
        durable(null);
    }

    @Override
    public void refuse(TxId txId) {
        byte[] tx = Codec.txId(txId);
        byte[] v = Codec.outcome(Decision.ABORT, clock.getAsLong());
        durable(batch -> batch.put(outcomesHandle(), tx, v));
    }

    @Override
    public Optional<Decision> outcome(TxId txId) {
        RocksEngine e = acquire();
        try {
            byte[] b = e.db.get(e.outcomes, Codec.txId(txId));
            return b == null ? Optional.empty() : Optional.of(Codec.outcomeDecision(b));
        } catch (RocksDBException ex) {
            throw new StorageException("read of an outcome failed: " + ex.getMessage(), ex);
        } finally {
            release();
        }
    }

    @Override
    public void saveCommit(CommitRecord record) {
        byte[] k = Codec.txId(record.txId());
        byte[] v = Codec.commit(record);
        unsynced("write of a commit record", batch -> batch.put(commitsHandle(), k, v));
    }

    @Override
    public void forgetCommit(TxId txId) {
        byte[] k = Codec.txId(txId);
        unsynced("delete of a commit record", batch -> batch.delete(commitsHandle(), k));
    }

    @Override
    public List<PreparedRecord> preparedRecords() {
        List<PreparedRecord> out = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.prepared)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(Codec.prepared(it.value()));
            }
            it.status();
        } catch (RocksDBException | IOException ex) {
            throw new StorageException("prepared records in " + dir + " cannot be read: " + ex.getMessage(), ex);
        } finally {
            release();
        }
        return out;
    }

    @Override
    public List<CommitRecord> commitRecords() {
        List<CommitRecord> out = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.commits)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(Codec.commit(it.value()));
            }
            it.status();
        } catch (RocksDBException | IOException ex) {
            throw new StorageException("commit records in " + dir + " cannot be read: " + ex.getMessage(), ex);
        } finally {
            release();
        }
        return out;
    }

    @Override
    public List<KeyEntry> scan(String afterKey, int limit) {
        List<KeyEntry> out = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.data)) {
            seekAfter(it, afterKey);
            for (; it.isValid() && out.size() < limit; it.next()) {
                StoredValue v = Codec.value(it.value());
                if (v.present()) {
                    out.add(new KeyEntry(Codec.key(it.key()), v.value(), v.version(), null));
                }
            }
        } finally {
            release();
        }
        return out;
    }

    @Override
    public List<StoredEntry> snapshotPage(String afterKey, int limit) {
        List<StoredEntry> out = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.data)) {
            seekAfter(it, afterKey);
            for (; it.isValid() && out.size() < limit; it.next()) {
                StoredValue v = Codec.value(it.value());
                out.add(new StoredEntry(Codec.key(it.key()), v.value(), v.version()));
            }
            it.status();
        } catch (RocksDBException ex) {
            throw new StorageException("a snapshot page of " + dir + " cannot be read: " + ex.getMessage(), ex);
        } finally {
            release();
        }
        return out;
    }

    /** Positions {@code it} at the first key after {@code afterKey}, or the first key for {@code ""}. */
    private static void seekAfter(RocksIterator it, String afterKey) {
        if (afterKey.isEmpty()) {
            it.seekToFirst();
        } else {
            it.seek(Codec.key(afterKey));
            if (it.isValid() && Codec.key(it.key()).equals(afterKey)) {
                it.next();
            }
        }
    }

    @Override
    public long keyCount() {
        return keyCount.get();
    }

    @Override
    public void forgetOutcomesBefore(long millis) {
        List<byte[]> old = new ArrayList<>();
        RocksEngine e = acquire();
        try (RocksIterator it = e.db.newIterator(e.outcomes)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Codec.outcomeTime(it.value()) < millis) {
                    old.add(it.key());
                }
            }
        } finally {
            release();
        }
        try {
            unsynced("forgetting old outcomes", batch -> {
                for (byte[] k : old) {
                    batch.delete(outcomesHandle(), k);
                }
            });
        } catch (StorageException ex) {
            LOG.warn("could not forget old outcomes: {}", ex.getMessage());
        }
    }

    /** Synced writes so far and the groups they were written in; their ratio is the batching gain. */
    public long syncedWrites() {
        RocksEngine e = acquire();
        try {
            return e.committer.writes();
        } finally {
            release();
        }
    }

    public long syncGroups() {
        RocksEngine e = acquire();
        try {
            return e.committer.groups();
        } finally {
            release();
        }
    }

    // Column families of the current engine, for batches built while the caller holds the shared
    // lock (the committer and unsynced() run the ops under it), so the engine cannot change meanwhile.

    private ColumnFamilyHandle metaHandle() {
        return engine.meta;
    }

    private ColumnFamilyHandle preparedHandle() {
        return engine.prepared;
    }

    private ColumnFamilyHandle commitsHandle() {
        return engine.commits;
    }

    private ColumnFamilyHandle outcomesHandle() {
        return engine.outcomes;
    }

    @Override
    public void close() {
        probe.close();
        engineLock.writeLock().lock();
        try {
            closed = true;
            if (engine != null) {
                // What group commit achieved over this run, for anyone tuning it.
                LOG.info("storage closed: {} durable writes in {} syncs", engine.committer.writes(), engine.committer.groups());
                engine.close();
                engine = null;
            }
        } finally {
            engineLock.writeLock().unlock();
        }
    }
}
