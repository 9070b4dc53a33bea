package chorus.server.protocol;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each key's committed state (version, presence and, if small, value) as this replica last read or
 * applied it, so that neither a PREPARE nor a client read need search the storage engine for it:
 * the PREPARE's reads were the largest part of a write's storage CPU (performance.md, seventh
 * round), and the memtable search the largest part of a read's (eighth round).
 *
 * <p>Exact by construction, not by invalidation. Every write of a key's committed state (the apply
 * of a commit) happens while a transaction holds the key's lock here, and updates the entry before
 * the lock is released. A PREPARE fills an entry under the key's lock, so no apply can slip in
 * between its read of the store and the entry. A client read takes no lock; it fills an entry only
 * if no apply anywhere ran or began between its read of the store and the fill ({@link #read}),
 * which it tells from two counters that every apply moves ({@link #beginApply}, {@link #endApply}).
 *
 * <p>Bounded: at most {@code capacity} keys and about {@link #BUDGET_CHARS} characters of keys and
 * values; when either is reached it forgets everything and refills as keys are used again. Values
 * longer than {@link #MAX_VALUE_CHARS} are not kept (their version and presence are).
 */
final class KnownState {

    /** A key's committed version, whether it holds a value, and the value if kept (null otherwise). */
    record Known(long version, boolean present, String value) {

        /** Whether a client read can be answered from this entry. */
        boolean complete() {
            return !present || value != null;
        }

        StoredValue stored() {
            return new StoredValue(value, version);
        }
    }

    /** Enough for a working set of hot keys. */
    static final int DEFAULT_CAPACITY = 65_536;
    /** Longest value kept in memory, in characters. */
    static final int MAX_VALUE_CHARS = 1024;
    /** Characters of keys and values kept at most (the heap holds 256 MB; this stays within 16). */
    static final long BUDGET_CHARS = 8L << 20;

    private final int capacity;
    private final long budgetChars;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final AtomicLong chars = new AtomicLong();
    /** Applies begun so far, and applies under way: a client read's fill checks both. */
    private final AtomicLong appliesBegun = new AtomicLong();
    private final AtomicInteger appliesRunning = new AtomicInteger();

    KnownState(int capacity) {
        this(capacity, BUDGET_CHARS);
    }

    KnownState(int capacity, long budgetChars) {
        if (capacity < 1 || budgetChars < 1) {
            throw new IllegalArgumentException("capacity and budget must be positive, not " + capacity + " and " + budgetChars);
        }
        this.capacity = capacity;
        this.budgetChars = budgetChars;
    }

    /**
     * The caller holds {@code key}'s lock. Only a key written before is remembered: the PREPAREs of
     * a bulk load of new keys would otherwise fill and clear the map over and over, and the garbage
     * they promoted raised a replica's resident memory after the 1 M-key load by 20-30 MB.
     */
    Known current(String key, ReplicaStore store) {
        Known k = known.get(key);
        if (k == null) {
            k = of(store.read(key));
            if (k.version() > 0) {
                remember(key, k);
            }
        }
        return k;
    }

    /**
     * A client read's answer, from memory if the key is known here with its value, else from the
     * store. No lock is held: the entry is filled only if no apply began or was under way from
     * before the store was read until the fill, since such an apply may have changed the key after
     * the read and updated (or found no) entry before the fill. Like {@link #current}, only keys
     * written before are remembered.
     */
    StoredValue read(String key, ReplicaStore store) {
        Known k = known.get(key);
        if (k != null && k.complete()) {
            return k.stored();
        }
        // Begun, then running (applies count the other way round): an apply not yet counted as
        // running here is counted as begun only after this, so the fill sees the change; one that
        // has ended wrote the store and its entries before this read of the store.
        long begun = appliesBegun.get();
        boolean quiet = appliesRunning.get() == 0;
        StoredValue v = store.read(key);
        if (quiet && v.version() > 0) {
            Known read = of(v);
            makeRoom(key, read);
            known.compute(key, (key2, old) -> {
                if (old != null && old.complete() || appliesBegun.get() != begun) {
                    return old;
                }
                chars.addAndGet(charsOf(key2, read) - (old == null ? 0 : charsOf(key2, old)));
                return read;
            });
        }
        return v;
    }

    /** Called before an apply of committed writes starts, whatever keys it touches. */
    void beginApply() {
        // Running, then begun: see read().
        appliesRunning.incrementAndGet();
        appliesBegun.incrementAndGet();
    }

    /** Called once an apply has ended, its entries updated (or forgotten, if it failed). */
    void endApply() {
        appliesRunning.decrementAndGet();
    }

    /**
     * The caller holds {@code key}'s lock and has just made this its committed state (between
     * {@link #beginApply} and {@link #endApply}). Only a key already remembered is updated: a new
     * one is remembered at its next PREPARE or read.
     */
    void applied(String key, long version, String value) {
        Known now = new Known(version, value != null, keep(value));
        known.computeIfPresent(key, (key2, old) -> {
            chars.addAndGet(charsOf(key2, now) - charsOf(key2, old));
            return now;
        });
    }

    /** The store's state of these keys is uncertain (a failed write): read them again next time. */
    void forget(Collection<String> keys) {
        for (String key : keys) {
            Known old = known.remove(key);
            if (old != null) {
                chars.addAndGet(-charsOf(key, old));
            }
        }
    }

    int size() {
        return known.size();
    }

    private void remember(String key, Known k) {
        makeRoom(key, k);
        Known old = known.put(key, k);
        chars.addAndGet(charsOf(key, k) - (old == null ? 0 : charsOf(key, old)));
    }

    private void makeRoom(String key, Known k) {
        if (known.size() >= capacity && !known.containsKey(key) || chars.get() + charsOf(key, k) > budgetChars) {
            // Cheaper than an LRU on these paths, and rare: a full working set of keys between clears.
            // Forgetting is always safe; the count is approximate while entries change meanwhile.
            known.clear();
            chars.set(0);
        }
    }

    private static Known of(StoredValue v) {
        return new Known(v.version(), v.present(), keep(v.value()));
    }

    private static String keep(String value) {
        return value != null && value.length() <= MAX_VALUE_CHARS ? value : null;
    }

    private static long charsOf(String key, Known k) {
        return key.length() + (k.value() == null ? 0 : k.value().length());
    }
}
