package chorus.console.viewmodel;

import chorus.api.model.KeyEntry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One key across the replicas. {@code disagree} is true when the replicas that were read do not
 * all hold the same value and version, or when one holds a prepared, undecided write on the key.
 */
public record ContentsRow(String key, Map<Integer, KeyEntry> cells, boolean disagree, boolean pending) {

    public ContentsRow {
        cells = Map.copyOf(cells);
    }

    public Optional<KeyEntry> cell(int replica) {
        return Optional.ofNullable(cells.get(replica));
    }

    /** What a table cell shows for one replica: value and version, "absent", or the prepared transaction. */
    public String describe(int replica) {
        KeyEntry e = cells.get(replica);
        if (e == null) {
            return "(absent)";
        }
        String text = e.value() == null ? "(deleted) v" + e.version() : e.value() + "  v" + e.version();
        return e.pendingTx() == null ? text : text + "  [prepared " + e.pendingTx() + "]";
    }

    static boolean sameCommitted(KeyEntry a, KeyEntry b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.version() == b.version() && Objects.equals(a.value(), b.value());
    }
}
