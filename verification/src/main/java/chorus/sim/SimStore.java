package chorus.sim;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.StoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The {@link ReplicaStore} of one incarnation of a replica, over its {@link SimDisk}. Every synced
 * write is a place where the simulator may crash the replica, just before or just after it; once
 * the incarnation is dead, the store refuses everything, as a dead process's files would be out of reach.
 */
final class SimStore implements ReplicaStore {

    private final SimDisk disk;
    private final Host host;
    private final LongSupplier millis;
    private final boolean syncPrepares;

    /** @param syncPrepares false only to put back a bug (see {@link Bugs#YES_BEFORE_SYNC}) */
    SimStore(SimDisk disk, Host host, LongSupplier millis, boolean syncPrepares) {
        this.disk = disk;
        this.host = host;
        this.millis = millis;
        this.syncPrepares = syncPrepares;
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
        disk.write(batch, sync);
        if (sync) {
            host.passed("after synced " + what);
        }
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
    public void savePrepared(PreparedRecord record, boolean durable) {
        write("prepare of " + record.txId(), img -> img.prepared.put(record.txId(), record), durable && syncPrepares);
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
            }
            img.prepared.remove(txId);
            img.outcomes.put(txId, new SimDisk.Outcome(decision, at));
        }, durable);
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
        disk.sync();
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
        write("COMMIT record of " + record.txId(), img -> img.commits.put(record.txId(), record), true);
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
    public long keyCount() {
        return live().data.values().stream().filter(StoredValue::present).count();
    }

    @Override
    public void forgetOutcomesBefore(long millis) {
        write("forget old outcomes", img -> img.outcomes.values().removeIf(o -> o.atMillis() < millis), false);
    }

    @Override
    public void close() {
        // nothing to release: the disk outlives the process
    }
}
