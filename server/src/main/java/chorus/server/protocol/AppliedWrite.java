package chorus.server.protocol;

/**
 * One key's new committed state; a null value is a delete (kept as a tombstone with its version).
 * {@code wasPresent} says whether the key held a value before: the participant read it when it
 * prepared, and the key stayed locked since, so the store keeps its key count without reading
 * the key again (a lookup in the memtable's skip list per key and replica, 4 % of the CPU of a
 * write-only run).
 */
public record AppliedWrite(String key, String value, long version, boolean wasPresent) {
}
