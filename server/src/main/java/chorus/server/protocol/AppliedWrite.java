package chorus.server.protocol;

/** One key's new committed state; a null value is a delete (kept as a tombstone with its version). */
public record AppliedWrite(String key, String value, long version) {
}
