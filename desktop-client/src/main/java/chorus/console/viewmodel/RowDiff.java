package chorus.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The edits that turn one key-ordered list of rows into another: computed in the background, so
 * that the UI thread applies a handful of changes instead of replacing 100,000 rows.
 */
final class RowDiff {

    /** Replace, insert or remove one row, at an index of the list as it is when the edit is applied. */
    record Edit(int index, Kind kind, ContentsRow row) {
        enum Kind { SET, ADD, REMOVE }
    }

    private RowDiff() {
    }

    /** Edits in application order; null when there are more than {@code limit} (then replacing everything is cheaper). */
    static List<Edit> between(List<ContentsRow> before, List<ContentsRow> after, int limit) {
        return between(before, after, limit, ContentsRow::key);
    }

    static List<Edit> between(List<ContentsRow> before, List<ContentsRow> after, int limit, Function<ContentsRow, String> key) {
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        int at = 0; // index in the list being edited
        while (i < before.size() || j < after.size()) {
            if (edits.size() > limit) {
                return null;
            }
            if (i == before.size()) {
                edits.add(new Edit(at++, Edit.Kind.ADD, after.get(j++)));
            } else if (j == after.size()) {
                edits.add(new Edit(at, Edit.Kind.REMOVE, null));
                i++;
            } else {
                int c = key.apply(before.get(i)).compareTo(key.apply(after.get(j)));
                if (c == 0) {
                    if (!before.get(i).equals(after.get(j))) {
                        edits.add(new Edit(at, Edit.Kind.SET, after.get(j)));
                    }
                    i++;
                    j++;
                    at++;
                } else if (c < 0) {
                    edits.add(new Edit(at, Edit.Kind.REMOVE, null));
                    i++;
                } else {
                    edits.add(new Edit(at++, Edit.Kind.ADD, after.get(j++)));
                }
            }
        }
        return edits;
    }
}
