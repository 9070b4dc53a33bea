package chorus.sim;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.Scheduler;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.StorageHealth;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.StoredValue;
import chorus.server.protocol.Timer;
import chorus.server.storage.WriteHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link ReplicaStore} of one incarnation of a replica, over its {@link SimDisk}. Every synced
 * write is a place where the simulator may crash the replica, just before or just after it; once
 * the incarnation is dead, the store refuses everything, as a dead process's files would be out of reach.
 *
 * <p>On a full disk it behaves as the RocksDB store does: the failed write throws, the store's
 * {@link WriteHealth} turns to disk full, and a probe on the replica's own timer tries a small
 * synced write every {@link #PROBE_INTERVAL} until one succeeds.
 */
final class SimStore implements ReplicaStore {

    private final SimDisk disk;
    private final Host host;
    private final LongSupplier millis;
    private final boolean syncPrepares;
    private final boolean syncOwnPrepares;
    private final int changeRetention;
    private final Scheduler scheduler;
    private final WriteHealth health;
    /** The probe's timer, made at the first failed write (a timer is a simulated thread). */
    private Timer probe;

    /** As the RocksDB store's probe. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param syncPrepares    false only to put back a bug (see {@link Bugs#YES_BEFORE_SYNC})
     * @param syncOwnPrepares false only to put back a bug (see {@link Bugs#OWN_PREPARE_UNSYNCED})
     */
    SimStore(SimDisk disk, Host host, Scheduler scheduler, boolean syncPrepares, boolean syncOwnPrepares) {
        this(disk, host, scheduler, syncPrepares, syncOwnPrepares, DEFAULT_CHANGE_RETENTION);
    }

    SimStore(SimDisk disk, Host host, Scheduler scheduler, boolean syncPrepares, boolean syncOwnPrepares, int changeRetention) {
        this.changeRetention = changeRetention;
        this.disk = disk;
        this.host = host;
        this.scheduler = scheduler;
        this.millis = scheduler.clock()::millis;
        this.syncPrepares = syncPrepares;
        this.syncOwnPrepares = syncOwnPrepares;
        this.health = new WriteHealth(millis);
    }

    private SimDisk.Image live() {
        if (!host.alive) {
            throw new SimCrash(host + " is down");
        }
        return disk.live();
    }

    private void write(String what, java.util.function.Consumer<SimDisk.Image> batch, boolean sync) {
        live();
        if (sync) {
            host.passed("before synced " + what);
        }
        try {
            disk.write(batch, sync);
        } catch (StorageException e) {
            throw failed(e);
        }
        if (sync) {
            health.succeeded();
            host.passed("after synced " + what);
        }
    }

    private StorageException failed(StorageException e) {
        if (health.failed(e.getMessage())) {
            if (probe == null) {
                probe = scheduler.newTimer(host.name + "-storage-probe");
            }
            probe.after(PROBE_INTERVAL, this::probeOnce);
        }
        // Named as the RocksDB store names it.
        return new StorageException(health.describe(e.getMessage()), e);
    }

    /** One try of a small synced write; schedules the next while writes fail. */
    private void probeOnce() {
        if (health.current().writable() || !host.alive) {
            return;
        }
        try {
            write("write probe", img -> { }, true);
        } catch (StorageException stillFull) {
            probe.after(PROBE_INTERVAL, this::probeOnce);
        }
    }

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
        return Optional.ofNullable(live().meta.get(name)).map(byte[]::clone);
    }

    @Override
    public void saveMeta(String name, byte[] value) {
        byte[] copy = value.clone();
        write(name + " record", img -> img.meta.put(name, copy), true);
    }

    @Override
    public long nextIncarnation() {
        write("incarnation", img -> img.incarnation++, true);
        return live().incarnation;
    }

    @Override
    public StoredValue read(String key) {
        return live().data.getOrDefault(key, StoredValue.ABSENT);
    }

    @Override
    public void savePrepared(PreparedRecord record) {
        // Synced unless a bug is put back (Bugs.YES_BEFORE_SYNC, Bugs.OWN_PREPARE_UNSYNCED).
        boolean own = record.txId().coordinator() == host.replica;
        write("prepare of " + record.txId(), img -> img.prepared.put(record.txId(), record),
                syncPrepares && (syncOwnPrepares || !own));
    }

    @Override
    public void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable) {
        Map<String, StoredValue> data = live().data;
        for (AppliedWrite w : writes) {
            // The real store keeps its key count by this claim: a wrong one is a protocol bug.
            boolean present = data.getOrDefault(w.key(), StoredValue.ABSENT).present();
            if (w.wasPresent() != present) {
                throw new IllegalStateException("apply of " + txId + " says key " + w.key() + (w.wasPresent() ? " held" : " held no")
                        + " value, but it " + (present ? "does" : "does not"));
            }
        }
        long at = millis.getAsLong();
        write(decision + " of " + txId, img -> {
            for (AppliedWrite w : writes) {
                img.data.put(w.key(), new StoredValue(w.value(), w.version()));
                if (decision == Decision.COMMIT) {
                    img.changes.append(w.key(), w.value(), w.version(), txId);
                }
            }
            img.changes.prune(changeRetention);
            img.prepared.remove(txId);
            img.outcomes.put(txId, new SimDisk.Outcome(decision, at));
        }, durable);
    }

    @Override
    public int install(List<StoredEntry> entries, boolean durable) {
        // Chosen against the live image; the batch then writes them unconditionally, which on the
        // synced image, replaying the same batches in the same order, chooses alike.
        Map<String, StoredValue> data = live().data;
        // The version each key will have, for a key that comes twice.
        Map<String, Long> chosen = new HashMap<>();
        List<StoredEntry> newer = new ArrayList<>();
        for (StoredEntry e : entries) {
            long stored = chosen.getOrDefault(e.key(), data.getOrDefault(e.key(), StoredValue.ABSENT).version());
            if (e.version() > stored) {
                newer.add(e);
                chosen.put(e.key(), e.version());
            }
        }
        if (newer.isEmpty()) {
            return 0;
        }
        write("install of " + newer.size() + " entries", img -> {
            for (StoredEntry e : newer) {
                img.data.put(e.key(), new StoredValue(e.value(), e.version()));
                img.changes.append(e.key(), e.value(), e.version(), null);
            }
            img.changes.prune(changeRetention);
        }, durable);
        return newer.size();
    }

    @Override
    public long lastApplySeq() {
        return live().changes.last();
    }

    @Override
    public ChangesPage changesAfter(long afterSeq, int limit) {
        return live().changes.page(afterSeq, limit);
    }

    @Override
    public long writtenThrough() {
        live();
        return disk.written();
    }

    @Override
    public long syncedThrough() {
        live();
        return disk.synced();
    }

    @Override
    public void sync() {
        live();
        host.passed("before sync");
        try {
            disk.sync();
        } catch (StorageException e) {
            throw failed(e);
        }
        health.succeeded();
    }

    @Override
    public void refuse(TxId txId) {
        long at = millis.getAsLong();
        write("refusal of " + txId, img -> img.outcomes.put(txId, new SimDisk.Outcome(Decision.ABORT, at)), true);
    }

    @Override
    public Optional<Decision> outcome(TxId txId) {
        SimDisk.Outcome o = live().outcomes.get(txId);
        return o == null ? Optional.empty() : Optional.of(o.decision());
    }

    @Override
    public void saveCommit(CommitRecord record) {
        write("COMMIT record of " + record.txId(), img -> img.commits.put(record.txId(), record), false);
    }

    @Override
    public void forgetCommit(TxId txId) {
        write("forget " + txId, img -> img.commits.remove(txId), false);
    }

    @Override
    public List<PreparedRecord> preparedRecords() {
        return new ArrayList<>(live().prepared.values());
    }

    @Override
    public List<CommitRecord> commitRecords() {
        return new ArrayList<>(live().commits.values());
    }

    @Override
    public List<KeyEntry> scan(String afterKey, int limit) {
        List<KeyEntry> out = new ArrayList<>();
        for (var e : live().data.tailMap(afterKey, false).entrySet()) {
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
        return live().data.tailMap(afterKey, false).entrySet().stream().limit(limit)
                .map(e -> new StoredEntry(e.getKey(), e.getValue().value(), e.getValue().version())).toList();
    }

    @Override
    public long keyCount() {
        return live().data.values().stream().filter(StoredValue::present).count();
    }

    @Override
    public void forgetOutcomesBefore(long millis) {
        try {
            write("forget old outcomes", img -> img.outcomes.values().removeIf(o -> o.atMillis() < millis), false);
        } catch (StorageException e) {
            // As the RocksDB store: old outcomes are forgotten at the next round instead.
        }
    }

    @Override
    public void close() {
        // The disk outlives the process; only the probe's timer goes.
        if (probe != null) {
            probe.close();
        }
    }
}
