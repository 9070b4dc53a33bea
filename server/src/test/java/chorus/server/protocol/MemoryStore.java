package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Storage for protocol unit tests: everything in memory, so a "restart" is a new node over the same
 * store. Counts synced writes so tests can see which steps were made durable.
 */
final class MemoryStore implements ReplicaStore {

    private final ConcurrentSkipListMap<String, StoredValue> data = new ConcurrentSkipListMap<>();
    private final Map<TxId, PreparedRecord> prepared = new ConcurrentHashMap<>();
    private final Map<TxId, CommitRecord> commits = new ConcurrentHashMap<>();
    private final Map<TxId, Decision> outcomes = new ConcurrentHashMap<>();
    private long incarnation;
    volatile int syncedWrites;
    private long written;
    private volatile long synced;
    /** How to take back each write made since the last sync, newest last: what a power loss would lose. */
    private final List<Runnable> unsyncedUndo = new ArrayList<>();
    /** While set, syncs wait for it: a disk that does not get round to syncing. */
    volatile java.util.concurrent.CountDownLatch syncGate;
    /** While set, every write fails with this message, as on a full disk; reads go on. */
    volatile String failWrites;
    private final MemoryChangeLog changes = new MemoryChangeLog();
    private final int changeRetention;

    MemoryStore() {
        this(DEFAULT_CHANGE_RETENTION);
    }

    MemoryStore(int changeRetention) {
        this.changeRetention = changeRetention;
    }

    private void checkWritable() {
        String failure = failWrites;
        if (failure != null) {
            throw new StorageException(failure);
        }
    }

    private final Map<String, byte[]> meta = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> meta(String name) {
        return Optional.ofNullable(meta.get(name)).map(byte[]::clone);
    }

    @Override
    public synchronized void saveMeta(String name, byte[] value) {
        syncedWrites++;
        synced = ++written;
        unsyncedUndo.clear();
        meta.put(name, value.clone());
    }

    @Override
    public synchronized long nextIncarnation() {
        syncedWrites++;
        synced = ++written;
        unsyncedUndo.clear();
        return ++incarnation;
    }

    @Override
    public StoredValue read(String key) {
        return data.getOrDefault(key, StoredValue.ABSENT);
    }

    @Override
    public synchronized void savePrepared(PreparedRecord record) {
        checkWritable();
        written++;
        syncedWrites++;
        synced = written;
        unsyncedUndo.clear();
        prepared.put(record.txId(), record);
    }

    @Override
    public synchronized void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable) {
        checkWritable();
        for (AppliedWrite w : writes) {
            // RocksStore keeps its key count by this claim: every protocol test checks it here.
            StoredValue current = data.get(w.key());
            boolean present = current != null && current.present();
            if (w.wasPresent() != present) {
                throw new IllegalStateException("apply of " + txId + " says key " + w.key() + (w.wasPresent() ? " held" : " held no")
                        + " value, but it " + (present ? "does" : "does not"));
            }
        }
        written++;
        long lastChangeBefore = changes.last();
        if (decision == Decision.COMMIT) {
            writes.forEach(w -> changes.append(w.key(), w.value(), w.version(), txId));
        }
        List<Change> pruned = changes.prune(changeRetention);
        if (durable) {
            syncedWrites++;
            synced = written;
            unsyncedUndo.clear();
        } else {
            Map<String, StoredValue> before = new java.util.HashMap<>();
            writes.forEach(w -> before.put(w.key(), data.get(w.key())));
            PreparedRecord wasPrepared = prepared.get(txId);
            unsyncedUndo.add(() -> {
                before.forEach((k, v) -> {
                    if (v == null) {
                        data.remove(k);
                    } else {
                        data.put(k, v);
                    }
                });
                if (wasPrepared != null) {
                    prepared.put(txId, wasPrepared);
                }
                outcomes.remove(txId);
                changes.rollBack(lastChangeBefore, pruned);
            });
        }
        for (AppliedWrite w : writes) {
            data.put(w.key(), new StoredValue(w.value(), w.version()));
        }
        prepared.remove(txId);
        outcomes.put(txId, decision);
    }

    @Override
    public synchronized int install(List<StoredEntry> entries, boolean durable) {
        checkWritable();
        Map<String, StoredValue> before = new java.util.HashMap<>();
        long lastChangeBefore = changes.last();
        int count = 0;
        for (StoredEntry e : entries) {
            if (e.version() > data.getOrDefault(e.key(), StoredValue.ABSENT).version()) {
                before.putIfAbsent(e.key(), data.get(e.key()));
                data.put(e.key(), new StoredValue(e.value(), e.version()));
                changes.append(e.key(), e.value(), e.version(), null);
                count++;
            }
        }
        if (count == 0) {
            return 0;
        }
        List<Change> pruned = changes.prune(changeRetention);
        written++;
        if (durable) {
            syncedWrites++;
            synced = written;
            unsyncedUndo.clear();
        } else {
            unsyncedUndo.add(() -> {
                before.forEach((k, v) -> {
                    if (v == null) {
                        data.remove(k);
                    } else {
                        data.put(k, v);
                    }
                });
                changes.rollBack(lastChangeBefore, pruned);
            });
        }
        return count;
    }

    @Override
    public synchronized long lastApplySeq() {
        return changes.last();
    }

    @Override
    public synchronized ChangesPage changesAfter(long afterSeq, int limit) {
        return changes.page(afterSeq, limit);
    }

    @Override
    public synchronized long writtenThrough() {
        return written;
    }

    @Override
    public long syncedThrough() {
        return synced;
    }

    @Override
    public void sync() {
        checkWritable();
        java.util.concurrent.CountDownLatch gate = syncGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting to sync");
            }
        }
        synchronized (this) {
            if (synced < written) {
                syncedWrites++;
                synced = written;
                unsyncedUndo.clear();
            }
        }
    }

    /** What a power loss does: every write since the last sync is gone. */
    synchronized void loseUnsyncedWrites() {
        for (int i = unsyncedUndo.size() - 1; i >= 0; i--) {
            unsyncedUndo.get(i).run();
        }
        unsyncedUndo.clear();
        written = synced;
    }

    @Override
    public synchronized void refuse(TxId txId) {
        checkWritable();
        syncedWrites++;
        synced = ++written;
        unsyncedUndo.clear();
        outcomes.put(txId, Decision.ABORT);
    }

    @Override
    public Optional<Decision> outcome(TxId txId) {
        return Optional.ofNullable(outcomes.get(txId));
    }

    @Override
    public synchronized void saveCommit(CommitRecord record) {
        checkWritable();
        written++;
        unsyncedUndo.add(() -> commits.remove(record.txId()));
        commits.put(record.txId(), record);
    }

    @Override
    public void forgetCommit(TxId txId) {
        checkWritable();
        commits.remove(txId);
    }

    boolean hasCommitRecord(TxId txId) {
        return commits.containsKey(txId);
    }

    boolean hasPrepared(TxId txId) {
        return prepared.containsKey(txId);
    }

    @Override
    public List<PreparedRecord> preparedRecords() {
        return new ArrayList<>(new TreeMap<>(prepared).values());
    }

    @Override
    public List<CommitRecord> commitRecords() {
        return new ArrayList<>(new TreeMap<>(commits).values());
    }

    @Override
    public List<KeyEntry> scan(String afterKey, int limit) {
        List<KeyEntry> out = new ArrayList<>();
        for (var e : data.tailMap(afterKey, false).entrySet()) {
            if (out.size() == limit) {
                break;
            }
            if (e.getValue().present()) {
                out.add(new KeyEntry(e.getKey(), e.getValue().value(), e.getValue().version(), null));
            }
        }
        return out;
    }

    @Override
    public List<StoredEntry> snapshotPage(String afterKey, int limit) {
        return data.tailMap(afterKey, false).entrySet().stream().limit(limit)
                .map(e -> new StoredEntry(e.getKey(), e.getValue().value(), e.getValue().version())).toList();
    }

    @Override
    public long keyCount() {
        return data.values().stream().filter(StoredValue::present).count();
    }

    @Override
    public void forgetOutcomesBefore(long millis) {
    }

    @Override
    public void close() {
    }
}
