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

    /** How many of the newest changes a store's change log keeps unless told otherwise (see {@link #changesAfter}). */
    int DEFAULT_CHANGE_RETENTION = 100_000;

    /** Durably increments and returns this replica's incarnation (1 on a fresh store). */
    long nextIncarnation();

    StoredValue read(String key);

    /**
     * A small record of the replica's own under {@code name} (the membership acceptor's state), as
     * last saved; empty if never saved. Names other than the store's own are free to use.
     */
    Optional<byte[]> meta(String name);

    /** Durable: saves {@code value} under {@code name}, synced before it returns. */
    void saveMeta(String name, byte[] value);

    /**
     * Durable: the prepare of a transaction, before its YES vote, synced before it returns. Every
     * prepare is, the coordinator's own included (under parallel commit the durable prepares are
     * the decision) and a prepare taken over at readmission too.
     */
    void savePrepared(PreparedRecord record);

    /**
     * Atomically applies the writes of a decided transaction, drops its prepared record and
     * remembers its outcome for peers that ask; a commit's writes are numbered in the change log
     * in the same batch ({@link #lastApplySeq}). Durable when {@code durable} (commits); an abort
     * need not be, since a lost abort leaves a prepared record whose resolution ends in abort again
     * (a coordinator syncs its own abort before it tells anyone: see {@code Coordinator}). Nor need
     * a coordinator's own COMMIT: its COMMIT record, written before, is forgotten only by a later
     * write (the log is one sequence), so a crash that lost the apply still finds the record, or
     * failing that its prepare record, and settles the transaction again.
     */
    void applyOutcome(TxId txId, Decision decision, List<AppliedWrite> writes, boolean durable);

    /**
     * The apply sequence number of the newest change in this replica's change log, 0 for none.
     * Every committed write that {@link #applyOutcome} applies gets the next number, in the atomic
     * batch of the write itself, so that a change is logged exactly when it is applied: a replica
     * that missed a few commits can catch up from the changes after its position instead of
     * copying everything, and watches can follow the log. Numbers are this replica's own (no other
     * replica's match them) and only grow, across restarts too. A write that failed leaves its
     * numbers unused. A number is reported only once every smaller one is written or failed, so a
     * caller that pages on from it misses nothing.
     *
     * <p>Like the write it logs, a change that was not yet synced can be lost in a crash, and its
     * number is then given to a later change. A caller that read such a change from this replica
     * before it crashed cannot trust its position afterwards, beyond what it knows was synced.
     */
    long lastApplySeq();

    /**
     * The changes numbered after {@code afterSeq}, oldest first, at most {@code limit}, none newer
     * than the page's {@link ChangesPage#lastSeq}. The log keeps only the newest changes (a number
     * given when the store is made, {@link #DEFAULT_CHANGE_RETENTION} unless told otherwise); if
     * those right after {@code afterSeq} are gone, the page holds none and says it is
     * {@link ChangesPage#truncated() truncated}: the caller must copy a snapshot instead
     * ({@link #snapshotPage}). A page may end inside a transaction; the changes of one transaction
     * have consecutive numbers and its id.
     */
    ChangesPage changesAfter(long afterSeq, int limit);

    /**
     * Writes each of {@code entries}, copied from another replica, whose version is higher than
     * the one stored here for its key (0 for a key never written), tombstones included; skips the
     * rest, since a key's versions only grow and a copy overlaps the changes that follow it.
     * Returns how many it wrote. Atomic: one batch, which no apply interleaves with. Durable when
     * {@code durable}. Each entry written is logged as a change with no transaction, under this
     * replica's next apply sequence numbers (numbers are per replica, and this replica's watchers
     * must see what the copy brought).
     *
     * <p>An apply trusts the state its prepare read ({@link AppliedWrite#wasPresent}) and writes
     * without comparing versions: the caller installs no key that a transaction holds prepared here.
     */
    int install(List<StoredEntry> entries, boolean durable);

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

    /**
     * A coordinator's COMMIT decision, written and not synced: the transaction committed when every
     * member's prepare, the coordinator's own included, became durable (parallel commit), and a crash
     * that loses this record finds the coordinator's prepare record instead, which makes it ask every
     * member (see {@link Termination}). The next synced write makes it durable with it.
     */
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
     * before would outlive them. Each page is one point in time; a run of pages is not, so a
     * caller that copies the whole store notes {@link #lastApplySeq()} before the first page and
     * then applies the changes after it too, where they overlap the pages harmlessly (a higher
     * version wins).
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
