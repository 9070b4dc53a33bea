package chorus.chaos;

/**
 * One operation's effect on one key, as the per-key linearizability checker sees it.
 *
 * <ul>
 *   <li>{@link Kind#READ}: observed {@code present}, {@code value}, {@code version}.</li>
 *   <li>{@link Kind#WRITE}: sets the key to {@code present}/{@code value} (a delete writes absent)
 *       at the next version; requires the current version to be {@code expected} unless that is
 *       -1; {@code version} is the version the write reported, or -1 when its outcome is unknown.</li>
 *   <li>{@link Kind#MISMATCH}: a conditional write refused because the version was not
 *       {@code expected}; changes nothing.</li>
 * </ul>
 *
 * @param complete nanoseconds at which the outcome was known; {@link Long#MAX_VALUE} when it never
 *                 was (the write may take effect at any time after {@code invoke}, or never)
 */
public record KeyOp(int id, int client, Kind kind, boolean present, String value, long expected, long version,
                    long invoke, long complete) {

    public enum Kind { READ, WRITE, MISMATCH }

    public static final long UNKNOWN = Long.MAX_VALUE;

    public boolean unknown() {
        return complete == UNKNOWN;
    }

    public static KeyOp read(int id, int client, boolean present, String value, long version, long invoke, long complete) {
        return new KeyOp(id, client, Kind.READ, present, present ? value : null, -1, version, invoke, complete);
    }

    public static KeyOp put(int id, int client, String value, long expected, long version, long invoke, long complete) {
        return new KeyOp(id, client, Kind.WRITE, true, value, expected, version, invoke, complete);
    }

    public static KeyOp delete(int id, int client, long expected, long version, long invoke, long complete) {
        return new KeyOp(id, client, Kind.WRITE, false, null, expected, version, invoke, complete);
    }

    public static KeyOp mismatch(int id, int client, long expected, long invoke, long complete) {
        return new KeyOp(id, client, Kind.MISMATCH, false, null, expected, -1, invoke, complete);
    }

    /** The same operation with its outcome unknown from {@code invoke} on. */
    public KeyOp asUnknown() {
        return new KeyOp(id, client, kind, present, value, expected, -1, invoke, UNKNOWN);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case READ -> "read -> " + (present ? "'" + value + "'" : "absent") + " v" + version;
            case WRITE -> (present ? "write '" + value + "'" : "delete") + (expected >= 0 ? " if v" + expected : "")
                    + (unknown() ? " -> ?" : " -> v" + version);
            case MISMATCH -> "write if v" + expected + " -> refused: version mismatch";
        };
        return "op " + id + " client " + client + " [" + invoke / 1_000_000 + " ms, "
                + (unknown() ? "never answered" : complete / 1_000_000 + " ms") + "] " + what;
    }
}
