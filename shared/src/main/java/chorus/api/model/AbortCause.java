package chorus.api.model;

/** Why a transaction was aborted, so that callers know whether a retry can succeed. */
public enum AbortCause {
    /** A replica did not vote (or was unreachable) within the vote timeout. */
    TIMEOUT,
    /** A replica could not be reached at all (connection refused, connection broken). */
    UNREACHABLE,
    /** Another transaction held a key, and the conflict retries ran out. */
    CONFLICT,
    /** An expected version did not match: retrying the same request cannot succeed. */
    VERSION_MISMATCH,
    /**
     * The membership view changed while the transaction ran (a replica was excluded or readmitted):
     * nothing was written; a retry runs in the new view. The coordinator retries by itself.
     */
    VIEW_CHANGED,
    /** A replica refused for another reason (its storage failed, it was shutting down...). */
    REFUSED
}
