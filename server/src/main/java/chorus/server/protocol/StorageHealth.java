package chorus.server.protocol;

/**
 * Whether a replica's storage takes writes. A replica whose writes fail keeps answering: it votes
 * NO (it cannot record a prepare), serves reads, and its store tries to write again by itself.
 *
 * @param state       writable, or why not
 * @param cause       the storage engine's own words for the failure ("" when writable)
 * @param sinceMillis when the current state began
 */
public record StorageHealth(State state, String cause, long sinceMillis) {

    public enum State {
        WRITABLE("writable"),
        /** The file system said there is no space left (ENOSPC). */
        DISK_FULL("disk full"),
        /** Writes fail for another reason (an I/O error, a storage engine stuck on an earlier error). */
        WRITES_FAILING("writes failing");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public StorageHealth {
        cause = cause == null ? "" : cause;
    }

    public static StorageHealth writable(long sinceMillis) {
        return new StorageHealth(State.WRITABLE, "", sinceMillis);
    }

    public boolean writable() {
        return state == State.WRITABLE;
    }

    /** "" when writable, else for example "disk full: ... No space left on device". */
    public String note() {
        return writable() ? "" : state.label() + ": " + cause;
    }
}
