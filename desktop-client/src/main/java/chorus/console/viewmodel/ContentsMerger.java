package chorus.console.viewmodel;

import chorus.api.model.KeyEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges each replica's contents into one row per key, in key order. Every replica pages its
 * contents in key order, so this is a k-way merge of sorted lists: linear in the number of
 * entries, with no hashing or sorting of 100,000 keys.
 */
public final class ContentsMerger {

    private ContentsMerger() {
    }

    /** {@code expected} replicas: a key that one of them lacks is a disagreement. */
    public static List<ContentsRow> merge(Map<Integer, List<KeyEntry>> byReplica, List<Integer> expected) {
        List<Integer> ids = new ArrayList<>(byReplica.keySet());
        int k = ids.size();
        List<List<KeyEntry>> lists = new ArrayList<>(k);
        for (Integer id : ids) {
            lists.add(sortedOrCopy(byReplica.get(id)));
        }
        int[] pos = new int[k];
        List<ContentsRow> rows = new ArrayList<>();
        while (true) {
            String min = null;
            for (int i = 0; i < k; i++) {
                if (pos[i] < lists.get(i).size()) {
                    String key = lists.get(i).get(pos[i]).key();
                    if (min == null || key.compareTo(min) < 0) {
                        min = key;
                    }
                }
            }
            if (min == null) {
                return rows;
            }
            Map<Integer, KeyEntry> cells = new HashMap<>(8);
            for (int i = 0; i < k; i++) {
                List<KeyEntry> l = lists.get(i);
                if (pos[i] < l.size() && l.get(pos[i]).key().equals(min)) {
                    cells.put(ids.get(i), l.get(pos[i]));
                    pos[i]++;
                }
            }
            rows.add(row(min, cells, byReplica, expected));
        }
    }

    private static ContentsRow row(String key, Map<Integer, KeyEntry> cells, Map<Integer, List<KeyEntry>> byReplica,
                                   List<Integer> expected) {
        boolean pending = false;
        for (KeyEntry e : cells.values()) {
            pending |= e.pendingTx() != null;
        }
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
        return new ContentsRow(key, cells, disagree, pending);
    }

    /** Replicas send their contents in key order; anything else (a test, an old replica) is sorted here. */
    private static List<KeyEntry> sortedOrCopy(List<KeyEntry> l) {
        for (int i = 1; i < l.size(); i++) {
            if (l.get(i - 1).key().compareTo(l.get(i).key()) > 0) {
                List<KeyEntry> copy = new ArrayList<>(l);
                copy.sort((a, b) -> a.key().compareTo(b.key()));
                return copy;
            }
        }
        return l;
    }
}
