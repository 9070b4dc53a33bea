package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownVersionsTest {

    private final MemoryStore store = new MemoryStore();
    private long nextTx = 1;

    /** Changes the store behind the memory's back, as only a test may. */
    private void commitBehindItsBack(String key, String value, long version, boolean wasPresent) {
        store.applyOutcome(new TxId(9, 1, nextTx++), Decision.COMMIT, List.of(new AppliedWrite(key, value, version, wasPresent)), true);
    }

    @Test
    void aKeyIsReadFromTheStoreOnceThenAnsweredFromMemoryUntilAnApplyChangesIt() {
        KnownVersions known = new KnownVersions(10);
        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(0, false));

        commitBehindItsBack("k", "v", 1, false);
        assertThat(known.current("k", store)).as("from memory, not the store").isEqualTo(new KnownVersions.Known(0, false));

        known.applied("k", 7, true);
        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(7, true));
    }

    @Test
    void forgottenKeysAreReadFromTheStoreAgain() {
        KnownVersions known = new KnownVersions(10);
        known.current("k", store);
        commitBehindItsBack("k", "v", 1, false);

        known.forget(List.of("k"));

        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(1, true));
    }

    @Test
    void whenFullItForgetsEverythingAndRefillsFromTheStore() {
        KnownVersions known = new KnownVersions(2);
        known.current("a", store);
        known.current("b", store);
        commitBehindItsBack("a", "v", 1, false);
        known.applied("b", 5, true);
        assertThat(known.size()).as("a known key is replaced, not added").isEqualTo(2);

        known.current("c", store);

        assertThat(known.size()).isEqualTo(1);
        assertThat(known.current("a", store)).as("read again").isEqualTo(new KnownVersions.Known(1, true));
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new KnownVersions(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
