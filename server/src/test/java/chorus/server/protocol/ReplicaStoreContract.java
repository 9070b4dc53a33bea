package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplicaStore} does alike for a replica that copies another (snapshot pages),
 * run against each implementation: the RocksDB store, the protocol tests' memory store and the
 * simulator's store (through this module's test jar).
 */
public abstract class ReplicaStoreContract {

    private final List<ReplicaStore> opened = new ArrayList<>();
    private long txSequence;

    /** A new, empty store. */
    protected abstract ReplicaStore create();

    protected final ReplicaStore store() {
        ReplicaStore s = create();
        opened.add(s);
        return s;
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
