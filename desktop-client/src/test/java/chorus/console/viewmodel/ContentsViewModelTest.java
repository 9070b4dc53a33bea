package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.KeyEntry;
import chorus.api.model.TxId;
import chorus.console.testing.DirectUiExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentsViewModelTest {

    private final ContentsViewModel vm = new ContentsViewModel(new DirectUiExecutor());

    @Test
    void oneRowPerKeyWithEachReplicasValueAndVersion() {
        vm.setReplicas(List.of(1, 2));
        vm.replicaContents(1, List.of(new KeyEntry("a", "1", 3, null), new KeyEntry("b", "2", 1, null)));
        assertThat(vm.loadedProperty().get()).isFalse();
        vm.replicaContents(2, List.of(new KeyEntry("a", "1", 3, null), new KeyEntry("b", "2", 1, null)));
        assertThat(vm.loadedProperty().get()).isTrue();
        assertThat(vm.visibleRows()).extracting(ContentsRow::key).containsExactly("a", "b");
        assertThat(vm.visibleRows().get(0).describe(2)).isEqualTo("1  v3");
        assertThat(vm.visibleRows()).noneMatch(ContentsRow::disagree);
    }

    @Test
    void differingValuesMissingKeysAndPreparedWritesAreDisagreements() {
        vm.setReplicas(List.of(1, 2, 3));
        vm.replicaContents(1, List.of(new KeyEntry("a", "1", 1, null), new KeyEntry("b", "x", 1, null),
                new KeyEntry("c", "z", 1, null), new KeyEntry("d", "same", 2, null)));
        vm.replicaContents(2, List.of(new KeyEntry("a", "2", 2, null), new KeyEntry("b", "x", 1, null),
                new KeyEntry("c", "z", 1, new TxId(1, 1, 7)), new KeyEntry("d", "same", 2, null)));
        vm.replicaContents(3, List.of(new KeyEntry("a", "1", 1, null), new KeyEntry("c", "z", 1, null),
                new KeyEntry("d", "same", 2, null)));
        assertThat(vm.visibleRows()).filteredOn(ContentsRow::disagree).extracting(ContentsRow::key).containsExactly("a", "b", "c");
        ContentsRow c = vm.visibleRows().get(2);
        assertThat(c.pending()).isTrue();
        assertThat(c.describe(2)).isEqualTo("z  v1  [prepared t1.1.7]");
        assertThat(vm.visibleRows().get(1).describe(3)).isEqualTo("(absent)");
        assertThat(vm.summaryProperty().get()).isEqualTo("4 keys, 3 differ between replicas");
        vm.onlyDisagreementsProperty().set(true);
        assertThat(vm.visibleRows()).hasSize(3);
    }

    @Test
    void filterMatchesKeysAndValues() {
        vm.setReplicas(List.of(1));
        vm.replicaContents(1, List.of(new KeyEntry("apple", "red", 1, null), new KeyEntry("pear", "green", 1, null)));
        vm.filterProperty().set("APP");
        assertThat(vm.visibleRows()).extracting(ContentsRow::key).containsExactly("apple");
        vm.filterProperty().set("green");
        assertThat(vm.visibleRows()).extracting(ContentsRow::key).containsExactly("pear");
    }

    @Test
    void hundredThousandKeysFromFiveReplicasMergeQuickly() {
        List<Integer> ids = List.of(1, 2, 3, 4, 5);
        vm.setReplicas(ids);
        List<KeyEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            entries.add(new KeyEntry(String.format("key-%06d", i), "value-" + i, 1, null));
        }
        long start = System.nanoTime();
        ids.forEach(r -> vm.replicaContents(r, entries));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(vm.visibleRows()).hasSize(100_000);
        assertThat(vm.visibleRows()).noneMatch(ContentsRow::disagree);
        // Five full merges of 100,000 keys on a shared 2-core machine: generous, but catches a quadratic merge.
        assertThat(millis).isLessThan(20_000);
    }
}
