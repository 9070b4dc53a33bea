package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplicaStore} does alike for a replica that catches up from another (the
 * change log, snapshot pages), run against each implementation: the RocksDB store, the protocol
 * tests' memory store and the simulator's store (through this module's test jar).
 */
public abstract class ReplicaStoreContract {

    private final List<ReplicaStore> opened = new ArrayList<>();
    private long txSequence;

    /** A new, empty store whose change log keeps the newest {@code changeRetention} changes. */
    protected abstract ReplicaStore create(int changeRetention);

    /** The store of {@code s}'s replica after a clean restart (closed, opened again). */
    protected abstract ReplicaStore reopen(ReplicaStore s);

    protected final ReplicaStore store() {
        return store(ReplicaStore.DEFAULT_CHANGE_RETENTION);
    }

    protected final ReplicaStore store(int changeRetention) {
        return opened(create(changeRetention));
    }

    protected final ReplicaStore opened(ReplicaStore s) {
        opened.add(s);
        return s;
    }

    private ReplicaStore restarted(ReplicaStore s) {
        return opened(reopen(s));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ReplicaStore::close);
    }

    /** Commits {@code writes} as the next transaction, durably; returns its id. */
    protected final TxId commit(ReplicaStore s, AppliedWrite... writes) {
        TxId tx = new TxId(1, 1, ++txSequence);
        s.applyOutcome(tx, Decision.COMMIT, List.of(writes), true);
        return tx;
    }

    protected static AppliedWrite put(String key, String value, long version, boolean wasPresent) {
        return new AppliedWrite(key, value, version, wasPresent);
    }

    protected static AppliedWrite delete(String key, long version) {
        return new AppliedWrite(key, null, version, true);
    }

    private static Change change(long seq, String key, String value, long version, TxId tx) {
        return new Change(seq, key, value, version, tx);
    }

    @Test
    void aFreshStoreHasAnEmptyChangeLog() {
        ReplicaStore s = store();
        assertThat(s.lastApplySeq()).isZero();
        ChangesPage page = s.changesAfter(0, 10);
        assertThat(page.changes()).isEmpty();
        assertThat(page.oldestRetainedSeq()).isEqualTo(1);
        assertThat(page.truncated()).isFalse();
        assertThat(page.reachedEnd()).isTrue();
    }

    @Test
    void everyCommittedWriteIsNumberedInApplyOrderWithItsTransaction() {
        ReplicaStore s = store();
        TxId first = commit(s, put("a", "1", 1, false), put("b", "1", 1, false));
        s.applyOutcome(new TxId(2, 1, 1), Decision.ABORT, List.of(), false);
        TxId second = commit(s, delete("a", 2));

        assertThat(s.lastApplySeq()).isEqualTo(3);
        ChangesPage all = s.changesAfter(0, 10);
        assertThat(all.changes()).containsExactly(
                change(1, "a", "1", 1, first), change(2, "b", "1", 1, first), change(3, "a", null, 2, second));
        assertThat(all.lastSeq()).isEqualTo(3);
        assertThat(all.reachedEnd()).isTrue();

        ChangesPage one = s.changesAfter(1, 1);
        assertThat(one.changes()).extracting(Change::seq).containsExactly(2L);
        assertThat(one.reachedEnd()).isFalse();
        assertThat(s.changesAfter(one.nextAfterSeq(), 10).changes()).extracting(Change::seq).containsExactly(3L);
        assertThat(s.changesAfter(3, 10).changes()).isEmpty();
        assertThat(s.changesAfter(0, 0).changes()).isEmpty();
        assertThatThrownBy(() -> s.changesAfter(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNumbersSurviveARestart() {
        ReplicaStore s = store();
        TxId tx = commit(s, put("a", "1", 1, false), put("b", "1", 1, false));
        ReplicaStore again = restarted(s);
        assertThat(again.lastApplySeq()).isEqualTo(2);
        assertThat(again.changesAfter(1, 10).changes()).containsExactly(change(2, "b", "1", 1, tx));
        commit(again, put("a", "2", 2, true));
        assertThat(again.changesAfter(2, 10).changes()).extracting(Change::seq).containsExactly(3L);
    }

    @Test
    void theLogKeepsTheNewestChangesAndSaysWhenAskedForOlderOnes() {
        ReplicaStore s = store(3);
        for (int i = 1; i <= 5; i++) {
            commit(s, put("k" + i, "v", 1, false));
        }
        assertKeepsChangesThreeToFive(s);
        assertKeepsChangesThreeToFive(restarted(s));
    }

    private static void assertKeepsChangesThreeToFive(ReplicaStore s) {
        assertThat(s.lastApplySeq()).isEqualTo(5);
        ChangesPage kept = s.changesAfter(2, 10);
        assertThat(kept.truncated()).isFalse();
        assertThat(kept.oldestRetainedSeq()).isEqualTo(3);
        assertThat(kept.changes()).extracting(Change::seq).containsExactly(3L, 4L, 5L);

        ChangesPage gap = s.changesAfter(1, 10);
        assertThat(gap.truncated()).as("change 2 is forgotten").isTrue();
        assertThat(gap.changes()).isEmpty();
        assertThat(gap.reachedEnd()).isFalse();
    }

    @Test
    void anInstallWritesOnlyHigherVersionsAndKeepsTheKeyCount() {
        ReplicaStore s = store();
        commit(s, put("a", "1", 2, false), put("b", "1", 1, false));
        commit(s, delete("b", 2));
        assertThat(s.keyCount()).isEqualTo(1);

        int written = s.install(List.of(
                new StoredEntry("a", "older", 1), new StoredEntry("a", "same version", 2),
                new StoredEntry("b", "back", 3),    // a tombstone overwritten: one key more
                new StoredEntry("c", null, 4),      // a delete of a key never seen here: a tombstone, no key
                new StoredEntry("d", "new", 1)), true);

        assertThat(written).isEqualTo(3);
        assertThat(s.read("a")).isEqualTo(new StoredValue("1", 2));
        assertThat(s.read("b")).isEqualTo(new StoredValue("back", 3));
        assertThat(s.read("c")).isEqualTo(new StoredValue(null, 4));
        assertThat(s.read("d")).isEqualTo(new StoredValue("new", 1));
        assertThat(s.keyCount()).isEqualTo(3);

        assertThat(s.install(List.of(new StoredEntry("a", null, 5)), false)).isOne();
        assertThat(s.keyCount()).as("a present key deleted by the copy").isEqualTo(2);
        assertThat(s.install(List.of(new StoredEntry("a", null, 5), new StoredEntry("d", "new", 1)), true)).isZero();
        assertThat(s.keyCount()).isEqualTo(2);
    }

    @Test
    void aKeyTwiceInOneInstallKeepsItsHighestVersion() {
        ReplicaStore s = store();
        assertThat(s.install(List.of(new StoredEntry("k", "2", 2), new StoredEntry("k", "1", 1), new StoredEntry("k", "3", 3)), true))
                .isEqualTo(2);
        assertThat(s.read("k")).isEqualTo(new StoredValue("3", 3));
        assertThat(s.keyCount()).isOne();
    }

    @Test
    void installedEntriesAreLoggedUnderTheNextNumbersWithoutATransaction() {
        ReplicaStore s = store();
        TxId tx = commit(s, put("a", "1", 1, false));
        s.install(List.of(new StoredEntry("a", "stale", 1), new StoredEntry("x", "1", 7), new StoredEntry("y", null, 2)), true);

        assertThat(s.lastApplySeq()).isEqualTo(3);
        assertThat(s.changesAfter(0, 10).changes()).containsExactly(
                change(1, "a", "1", 1, tx), change(2, "x", "1", 7, null), change(3, "y", null, 2, null));
        assertThat(s.changesAfter(1, 10).changes()).allMatch(Change::installed);

        ReplicaStore again = restarted(s);
        assertThat(again.read("x")).isEqualTo(new StoredValue("1", 7));
        assertThat(again.keyCount()).isEqualTo(2);
        assertThat(again.changesAfter(2, 10).changes()).containsExactly(change(3, "y", null, 2, null));
        commit(again, put("x", "2", 8, true));
        assertThat(again.lastApplySeq()).isEqualTo(4);
    }

    @Test
    void aStoreCopiedInPagesWhileCommitsGoOnAndCaughtUpFromTheChangesEqualsItsSource() {
        ReplicaStore source = store();
        commit(source, put("a", "1", 1, false), put("b", "1", 1, false), put("c", "1", 1, false), put("z", "1", 1, false));
        commit(source, put("b", "2", 2, true), delete("z", 2));
        // Missed the second commit; holds a key of a commit that the source has not applied yet.
        ReplicaStore learner = store();
        commit(learner, put("b", "1", 1, false), put("z", "1", 1, false), put("y", "1", 1, false));

        long from = source.lastApplySeq();
        List<StoredEntry> first = source.snapshotPage("", 2);
        learner.install(first, false);
        // Meanwhile: a key the copy passed changes, one it has not reached goes, one is new.
        commit(source, put("a", "2", 2, true), delete("c", 2), put("d", "1", 1, false));
        learner.install(source.snapshotPage(first.get(first.size() - 1).key(), 100), false);
        ChangesPage missed = source.changesAfter(from, 100);
        assertThat(missed.truncated()).isFalse();
        learner.install(missed.changes().stream().map(Change::entry).toList(), true);

        assertThat(learner.snapshotPage("", 100)).as("all but the key that no copy mentions")
                .filteredOn(e -> !e.key().equals("y")).isEqualTo(source.snapshotPage("", 100));
        assertThat(learner.keyCount()).isEqualTo(source.keyCount() + 1);
    }

    @Test
    void snapshotPagesHoldTombstonesWithTheirVersionsInKeyOrder() {
        ReplicaStore s = store();
        commit(s, put("b", "1", 1, false), put("a", "1", 1, false), put("c", "1", 1, false));
        commit(s, delete("b", 2));

        assertThat(s.snapshotPage("", 10)).containsExactly(
                new StoredEntry("a", "1", 1), new StoredEntry("b", null, 2), new StoredEntry("c", "1", 1));
        assertThat(s.snapshotPage("", 2)).extracting(StoredEntry::key).containsExactly("a", "b");
        assertThat(s.snapshotPage("b", 2)).containsExactly(new StoredEntry("c", "1", 1));
        assertThat(s.snapshotPage("c", 2)).isEmpty();
        assertThat(s.scan("", 10)).as("a scan still skips tombstones").extracting(e -> e.key()).containsExactly("a", "c");
    }
}
