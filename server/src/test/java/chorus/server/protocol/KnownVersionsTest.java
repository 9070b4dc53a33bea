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
    private void commitBehindItsBack(String key, long version) {
        store.applyOutcome(new TxId(9, 1, nextTx++), Decision.COMMIT,
                List.of(new AppliedWrite(key, "v" + version, version, version > 1)), true);
    }

    @Test
    void aKeyIsReadFromTheStoreOnceThenAnsweredFromMemoryUntilAnApplyChangesIt() {
        KnownVersions known = new KnownVersions(10);
        commitBehindItsBack("k", 1);
        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(1, true));

        commitBehindItsBack("k", 2);
        assertThat(known.current("k", store)).as("from memory, not the store").isEqualTo(new KnownVersions.Known(1, true));

        known.applied("k", 7, false);
        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(7, false));
    }

    @Test
    void aKeyNeverWrittenIsNotRememberedAndAnApplyDoesNotAddOne() {
        KnownVersions known = new KnownVersions(10);
        assertThat(known.current("new", store)).isEqualTo(new KnownVersions.Known(0, false));
        known.applied("other", 1, true);
        assertThat(known.size()).isZero();

        commitBehindItsBack("new", 1);
        assertThat(known.current("new", store)).isEqualTo(new KnownVersions.Known(1, true));
        assertThat(known.size()).isEqualTo(1);
    }

    @Test
    void forgottenKeysAreReadFromTheStoreAgain() {
        KnownVersions known = new KnownVersions(10);
        commitBehindItsBack("k", 1);
        known.current("k", store);
        commitBehindItsBack("k", 2);

        known.forget(List.of("k"));

        assertThat(known.current("k", store)).isEqualTo(new KnownVersions.Known(2, true));
    }

    @Test
    void whenFullItForgetsEverythingAndRefillsFromTheStore() {
        KnownVersions known = new KnownVersions(2);
        for (String key : List.of("a", "b", "c")) {
            commitBehindItsBack(key, 1);
        }
        known.current("a", store);
        known.current("b", store);
        known.applied("b", 5, true);
        assertThat(known.size()).as("a known key is replaced, not added").isEqualTo(2);
        commitBehindItsBack("a", 2);

        known.current("c", store);

        assertThat(known.size()).isEqualTo(1);
        assertThat(known.current("a", store)).as("read again").isEqualTo(new KnownVersions.Known(2, true));
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new KnownVersions(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
