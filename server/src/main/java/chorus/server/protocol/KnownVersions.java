package chorus.server.protocol;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each key's committed version and presence as this replica last read or applied it, so that a
 * PREPARE need not search the storage engine for it: the PREPARE's reads were the largest part of a
 * write's storage CPU (performance.md, seventh round).
 *
 * <p>Exact by construction, not by invalidation: an entry is only ever written while its key is
 * locked by a transaction here (a PREPARE that read the store, or the apply of a commit), and every
 * write of a key's committed state happens under that lock. So no write can slip between a read
 * and its entry. Client reads, which take no lock, neither fill nor use it. Bounded: when full, it
 * forgets everything and refills from the store as keys are prepared again.
 */
final class KnownVersions {

    /** A key's committed version, and whether it holds a value. */
    record Known(long version, boolean present) {
    }

    /** Enough for a working set of hot keys, about 100 bytes each with the key. */
    static final int DEFAULT_CAPACITY = 65_536;

    private final int capacity;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    KnownVersions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The caller holds {@code key}'s lock. Only a key written before is remembered: the PREPAREs of
     * a bulk load of new keys would otherwise fill and clear the map over and over, and the garbage
     * they promoted raised a replica's resident memory after the 1 M-key load by 20-30 MB.
     */
    Known current(String key, ReplicaStore store) {
        Known k = known.get(key);
        if (k == null) {
            StoredValue v = store.read(key);
            k = new Known(v.version(), v.present());
            if (k.version() > 0) {
                remember(key, k);
            }
        }
        return k;
    }

    /**
     * The caller holds {@code key}'s lock and has just made this its committed state. Only a key
     * already remembered is updated: a new one is remembered at its next PREPARE.
     */
    void applied(String key, long version, boolean present) {
        known.replace(key, new Known(version, present));
    }

    /** The store's state of these keys is uncertain (a failed write): read them again next time. */
    void forget(Collection<String> keys) {
        keys.forEach(known::remove);
    }

    int size() {
        return known.size();
    }

    private void remember(String key, Known k) {
        if (known.size() >= capacity && !known.containsKey(key)) {
            // Cheaper than an LRU on this path, and rare: a full working set of keys between clears.
            known.clear();
        }
        known.put(key, k);
    }
}
