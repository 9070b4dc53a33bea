package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a store that can model a power loss (the memory store and the simulator's):
 * what was not synced may be lost, a change always together with its write.
 */
public abstract class CrashableStoreContract extends ReplicaStoreContract {

    /** The store of {@code s}'s replica after a power loss, which may lose what was not synced. */
    protected abstract ReplicaStore crash(ReplicaStore s);

    @Test
    void aCrashLosesAnUnsyncedChangeOnlyWithItsWrite() {
        ReplicaStore s = store();
        commit(s, put("synced", "1", 1, false));
        TxId unsynced = new TxId(1, 1, 99);
        s.applyOutcome(unsynced, Decision.COMMIT, List.of(put("unsynced", "1", 1, false)), false);
        ReplicaStore after = crash(s);
        opened(after);

        List<Change> kept = after.changesAfter(0, 10).changes();
        boolean writeKept = after.read("unsynced").present();
        assertThat(kept).extracting(Change::key).as("the change is kept exactly when its write is")
                .isEqualTo(writeKept ? List.of("synced", "unsynced") : List.of("synced"));
        assertThat(after.lastApplySeq()).isEqualTo(kept.size());
        commit(after, put("next", "1", 1, false));
        assertThat(after.lastApplySeq()).as("numbered on from what survived").isEqualTo(kept.size() + 1);
    }

    @Test
    void aCrashLosesAnUnsyncedInstallWholeWithItsChanges() {
        ReplicaStore s = store();
        commit(s, put("synced", "1", 1, false));
        s.install(List.of(new StoredEntry("u1", "1", 3), new StoredEntry("u2", null, 3)), false);
        ReplicaStore after = crash(s);
        opened(after);

        boolean kept = after.read("u1").present();
        assertThat(after.read("u2").version()).isEqualTo(kept ? 3 : 0);
        assertThat(after.changesAfter(0, 10).changes()).extracting(Change::key)
                .isEqualTo(kept ? List.of("synced", "u1", "u2") : List.of("synced"));
        assertThat(after.keyCount()).isEqualTo(kept ? 2 : 1);
    }
}
