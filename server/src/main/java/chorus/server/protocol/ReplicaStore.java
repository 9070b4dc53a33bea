package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the protocol needs from durable storage. Every method that says "durable" returns only
 * after the write is synced; implementations group concurrent durable writes into one sync.
 */
public interface ReplicaStore extends AutoCloseable {

    /** Durably increments and returns this replica's incarnation (1 on a fresh store). */
    long nextIncarnation();

    StoredValue read(String key);

    /**
     * The prepare of a transaction, before its YES vote; durable when {@code durable}. A
     * coordinator's own prepare need not be: its COMMIT record is a later synced write, and a
     * synced write makes every earlier write durable with it (the log is one sequence), while
     * without a COMMIT record the transaction is presumed aborted anyway.
     */
    void savePrepared(PreparedRecord record, boolean durable);

    /**
     * Atomically applies the writes of a decided transaction, drops its prepared record and
     * remembers its outcome for peers that ask. Durable when {@code durable} (commits); an abort
     * need not be, since a lost abort leaves a prepared record whose resolution ends in abort again.
     * Nor need a coordinator's own COMMIT: its COMMIT record, synced before, is forgotten only by a
     * later write, so a crash that lost the apply still finds the record and re-delivers it.
     */
    void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable);

    /** Position of the latest write in this store's write order (see {@link #syncedThrough}). */
    long writtenThrough();

    /** Every write at or before this position is durable. */
    long syncedThrough();

    /**
     * Makes every write so far durable (sharing a group commit with whatever else is being
     * synced); afterwards {@link #syncedThrough} is at least the {@link #writtenThrough} before.
     */
    void sync();

    /** Durable: this replica will never vote YES for {@code txId} (cooperative termination). */
    void refuse(TxId txId);

    /** The outcome this replica applied or refused for {@code txId}, if it still remembers it. */
    Optional<Decision> outcome(TxId txId);

    /** Durable: a coordinator's COMMIT decision. */
    void saveCommit(CommitRecord record);

    /** Forgets a COMMIT decision once every replica has acknowledged it. */
    void forgetCommit(TxId txId);

    List<PreparedRecord> preparedRecords();

    List<CommitRecord> commitRecords();

    /** Committed, present keys in order after {@code afterKey}, at most {@code limit}. */
    List<KeyEntry> scan(String afterKey, int limit);

    /**
     * Every stored key after {@code afterKey} ({@code ""}: from the first) in key order, at most
     * {@code limit}, tombstones included as entries with a null value and the version of the
     * delete: a replica that copies this one must learn of deletes too, or a value it held from
     * before would outlive them. Each page is one point in time; a run of pages is not.
     */
    List<StoredEntry> snapshotPage(String afterKey, int limit);

    long keyCount();

    /** Drops remembered outcomes recorded before {@code millis}. */
    void forgetOutcomesBefore(long millis);

    /** Whether writes currently succeed; a store that cannot fail (in memory) is always writable. */
    default StorageHealth health() {
        return StorageHealth.writable(0);
    }

    /**
     * Tells {@code listener} of every change of {@link #health()}: writes began to fail (a full
     * disk), or they succeed again. A store whose writes failed watches for itself when they can
     * succeed again; nobody needs to restart the replica. Called on the store's threads.
     */
    default void onHealthChange(Consumer<StorageHealth> listener) {
    }

    @Override
    void close();
}
