package chorus.console.viewmodel;

import chorus.api.model.KeyEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Merges each replica's contents (each in key order) into one row per key, in key order. */
public final class ContentsMerger {

    private ContentsMerger() {
    }

    /** {@code expected} replicas: a key that one of them lacks is a disagreement. */
    public static List<ContentsRow> merge(Map<Integer, List<KeyEntry>> byReplica, List<Integer> expected) {
        Map<String, Map<Integer, KeyEntry>> byKey = new HashMap<>();
        for (Map.Entry<Integer, List<KeyEntry>> r : byReplica.entrySet()) {
            for (KeyEntry e : r.getValue()) {
                byKey.computeIfAbsent(e.key(), k -> new HashMap<>(8)).put(r.getKey(), e);
            }
        }
        List<String> keys = new ArrayList<>(byKey.keySet());
        keys.sort(null);
        List<ContentsRow> rows = new ArrayList<>(keys.size());
        for (String key : keys) {
            Map<Integer, KeyEntry> cells = byKey.get(key);
            boolean pending = cells.values().stream().anyMatch(e -> e.pendingTx() != null);
            boolean disagree = pending;
            KeyEntry first = null;
            boolean seenFirst = false;
            for (Integer id : expected) {
                if (!byReplica.containsKey(id)) {
                    continue; // not read yet: no opinion
                }
                KeyEntry e = cells.get(id);
                if (!seenFirst) {
                    first = e;
                    seenFirst = true;
                } else if (!ContentsRow.sameCommitted(first, e)) {
                    disagree = true;
                }
            }
            rows.add(new ContentsRow(key, cells, disagree, pending));
        }
        return rows;
    }
}
