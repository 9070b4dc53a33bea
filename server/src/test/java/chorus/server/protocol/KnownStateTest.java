package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownStateTest {

    private final MemoryStore store = new MemoryStore();
    private long nextTx = 1;

    /** Changes the store behind the memory's back, as only a test may. */
    private void commitBehindItsBack(String key, long version) {
        store.applyOutcome(new TxId(9, 1, nextTx++), Decision.COMMIT,
                List.of(new AppliedWrite(key, "v" + version, version, version > 1)), true);
    }

    @Test
    void aKeyIsReadFromTheStoreOnceThenAnsweredFromMemoryUntilAnApplyChangesIt() {
        KnownState known = new KnownState(10);
        commitBehindItsBack("k", 1);
        assertThat(known.current("k", store)).isEqualTo(new KnownState.Known(1, true, "v1"));

        commitBehindItsBack("k", 2);
        assertThat(known.current("k", store)).as("from memory, not the store").isEqualTo(new KnownState.Known(1, true, "v1"));

        known.applied("k", 7, null);
        assertThat(known.current("k", store)).isEqualTo(new KnownState.Known(7, false, null));
    }

    @Test
    void aKeyNeverWrittenIsNotRememberedAndAnApplyDoesNotAddOne() {
        KnownState known = new KnownState(10);
        assertThat(known.current("new", store)).isEqualTo(new KnownState.Known(0, false, null));
        known.applied("other", 1, "v1");
        assertThat(known.size()).isZero();

        commitBehindItsBack("new", 1);
        assertThat(known.current("new", store)).isEqualTo(new KnownState.Known(1, true, "v1"));
        assertThat(known.size()).isEqualTo(1);
    }

    @Test
    void forgottenKeysAreReadFromTheStoreAgain() {
        KnownState known = new KnownState(10);
        commitBehindItsBack("k", 1);
        known.current("k", store);
        commitBehindItsBack("k", 2);

        known.forget(List.of("k"));

        assertThat(known.current("k", store)).isEqualTo(new KnownState.Known(2, true, "v2"));
    }

    @Test
    void whenFullItForgetsEverythingAndRefillsFromTheStore() {
        KnownState known = new KnownState(2);
        for (String key : List.of("a", "b", "c")) {
            commitBehindItsBack(key, 1);
        }
        known.current("a", store);
        known.current("b", store);
        known.applied("b", 5, "v5");
        assertThat(known.size()).as("a known key is replaced, not added").isEqualTo(2);
        commitBehindItsBack("a", 2);

        known.current("c", store);

        assertThat(known.size()).isEqualTo(1);
        assertThat(known.current("a", store)).as("read again").isEqualTo(new KnownState.Known(2, true, "v2"));
    }

    @Test
    void aClientReadFillsFromTheStoreThenIsAnsweredFromMemoryAndAnApplyUpdatesIt() {
        KnownState known = new KnownState(10);
        commitBehindItsBack("k", 1);
        assertThat(known.read("k", store)).isEqualTo(new StoredValue("v1", 1));

        commitBehindItsBack("k", 2);
        assertThat(known.read("k", store)).as("from memory, not the store").isEqualTo(new StoredValue("v1", 1));
        assertThat(known.current("k", store)).as("a PREPARE uses the same entry").isEqualTo(new KnownState.Known(1, true, "v1"));

        known.beginApply();
        known.applied("k", 3, "v3");
        known.endApply();
        assertThat(known.read("k", store)).isEqualTo(new StoredValue("v3", 3));
        known.applied("k", 4, null);
        assertThat(known.read("k", store)).as("deleted").isEqualTo(new StoredValue(null, 4));
    }

    @Test
    void aClientReadOfAKeyNeverWrittenIsNotRemembered() {
        KnownState known = new KnownState(10);
        assertThat(known.read("new", store)).isEqualTo(StoredValue.ABSENT);
        assertThat(known.size()).isZero();
    }

    @Test
    void aClientReadDoesNotFillWhileAnApplyIsUnderWay() {
        KnownState known = new KnownState(10);
        commitBehindItsBack("k", 1);
        known.beginApply();

        assertThat(known.read("k", store)).isEqualTo(new StoredValue("v1", 1));
        commitBehindItsBack("k", 2);
        known.endApply();

        assertThat(known.read("k", store)).as("not filled during the apply").isEqualTo(new StoredValue("v2", 2));
    }

    @Test
    void aClientReadDoesNotFillIfAnApplyBeganWhileItReadTheStore() {
        KnownState known = new KnownState(10);
        commitBehindItsBack("k", 1);
        // The apply of version 2 runs whole between this read's look at the store and its fill: the
        // value it read is stale by the time it would remember it.
        ReplicaStore racing = (ReplicaStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReplicaStore.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(store, args);
                    if (method.getName().equals("read")) {
                        known.beginApply();
                        commitBehindItsBack((String) args[0], 2);
                        known.endApply();
                    }
                    return result;
                });

        assertThat(known.read("k", racing)).isEqualTo(new StoredValue("v1", 1));

        assertThat(known.size()).isZero();
        assertThat(known.read("k", store)).isEqualTo(new StoredValue("v2", 2));
    }

    @Test
    void longValuesAreNotKeptButTheirVersionsAre() {
        KnownState known = new KnownState(10);
        String longValue = "x".repeat(KnownState.MAX_VALUE_CHARS + 1);
        store.applyOutcome(new TxId(9, 1, nextTx++), Decision.COMMIT, List.of(new AppliedWrite("k", longValue, 1, false)), true);

        assertThat(known.read("k", store)).isEqualTo(new StoredValue(longValue, 1));
        assertThat(known.current("k", store)).isEqualTo(new KnownState.Known(1, true, null));
        commitBehindItsBack("k", 2);
        assertThat(known.read("k", store)).as("read from the store every time").isEqualTo(new StoredValue("v2", 2));
    }

    @Test
    void whenTheCharacterBudgetIsReachedItForgetsEverything() {
        KnownState known = new KnownState(10, 10);
        commitBehindItsBack("aaaa", 1);
        commitBehindItsBack("bbbb", 1);
        known.read("aaaa", store);
        assertThat(known.size()).isEqualTo(1);

        known.read("bbbb", store);

        assertThat(known.size()).as("6 + 6 characters over a budget of 10").isEqualTo(1);
        commitBehindItsBack("aaaa", 2);
        assertThat(known.read("aaaa", store)).as("forgotten, so read again").isEqualTo(new StoredValue("v2", 2));
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new KnownState(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> new KnownState(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
