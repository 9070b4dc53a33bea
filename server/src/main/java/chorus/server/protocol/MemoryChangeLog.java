package chorus.server.protocol;

import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A change log held in memory, for the stores that hold everything there: the simulator's (whose
 * disk image keeps one, so that a crash loses unsynced changes with their writes) and the protocol
 * tests'. Not thread-safe: its store serializes the calls.
 */
public final class MemoryChangeLog {

    private final TreeMap<Long, Change> changes = new TreeMap<>();
    private long last;

    /** Logs the next change; returns its number. */
    public long append(String key, String value, long version, TxId txId) {
        last++;
        changes.put(last, new Change(last, key, value, version, txId));
        return last;
    }

    /** Forgets all but the newest {@code retention} changes; returns what it forgot (for an undo). */
    public List<Change> prune(int retention) {
        List<Change> forgotten = new ArrayList<>();
        while (changes.size() > retention) {
            forgotten.add(changes.pollFirstEntry().getValue());
        }
        return forgotten;
    }

    /** Takes back the changes after {@code lastBefore} and puts back {@code forgotten} (a lost write's undo). */
    public void rollBack(long lastBefore, List<Change> forgotten) {
        changes.tailMap(lastBefore, false).clear();
        last = lastBefore;
        forgotten.forEach(c -> changes.put(c.seq(), c));
    }

    public long last() {
        return last;
    }

    public long oldestRetained() {
        return changes.isEmpty() ? last + 1 : changes.firstKey();
    }

    /** As {@link ReplicaStore#changesAfter}. */
    public ChangesPage page(long afterSeq, int limit) {
        ChangesPage.checkRequest(afterSeq, limit);
        long oldest = oldestRetained();
        if (afterSeq + 1 < oldest) {
            return new ChangesPage(afterSeq, List.of(), oldest, last);
        }
        List<Change> out = new ArrayList<>();
        for (Map.Entry<Long, Change> e : changes.tailMap(afterSeq, false).entrySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(e.getValue());
        }
        return new ChangesPage(afterSeq, out, oldest, last);
    }

    public MemoryChangeLog copy() {
        MemoryChangeLog c = new MemoryChangeLog();
        c.changes.putAll(changes);
        c.last = last;
        return c;
    }
}
