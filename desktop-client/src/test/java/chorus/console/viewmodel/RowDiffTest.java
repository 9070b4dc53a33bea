package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.KeyEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RowDiffTest {

    private static ContentsRow row(String key, String value) {
        return new ContentsRow(key, Map.of(1, new KeyEntry(key, value, 1, null)), false, false);
    }

    private static List<ContentsRow> apply(List<ContentsRow> before, List<RowDiff.Edit> edits) {
        List<ContentsRow> l = new ArrayList<>(before);
        for (RowDiff.Edit e : edits) {
            switch (e.kind()) {
                case SET -> l.set(e.index(), e.row());
                case ADD -> l.add(e.index(), e.row());
                case REMOVE -> l.remove(e.index());
            }
        }
        return l;
    }

    @Test
    void oneChangedValueIsOneEdit() {
        List<ContentsRow> before = List.of(row("a", "1"), row("b", "2"), row("c", "3"));
        List<ContentsRow> after = List.of(row("a", "1"), row("b", "changed"), row("c", "3"));
        assertThat(RowDiff.between(before, after, 10)).containsExactly(new RowDiff.Edit(1, RowDiff.Edit.Kind.SET, row("b", "changed")));
    }

    @Test
    void tooManyEditsMeanReplaceEverything() {
        List<ContentsRow> after = List.of(row("a", "1"), row("b", "2"), row("c", "3"));
        assertThat(RowDiff.between(List.of(), after, 1)).isNull();
    }

    @RepeatedTest(20)
    void applyingTheEditsGivesTheNewList() {
        Random random = new Random();
        TreeMap<String, String> a = new TreeMap<>();
        TreeMap<String, String> b = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            String k = "k" + random.nextInt(300);
            if (random.nextBoolean()) {
                a.put(k, "v" + random.nextInt(3));
            }
            if (random.nextBoolean()) {
                b.put(k, "v" + random.nextInt(3));
            }
        }
        List<ContentsRow> before = a.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
        List<ContentsRow> after = b.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
        assertThat(apply(before, RowDiff.between(before, after, 10_000))).isEqualTo(after);
    }
}
