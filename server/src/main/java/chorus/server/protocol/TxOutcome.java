package chorus.server.protocol;

/** What a replica knows of a transaction's outcome when asked by a participant that waits for it. */
public enum TxOutcome {
    COMMITTED,
    ABORTED,
    /** The coordinator is still collecting votes; ask again later. */
    PENDING,
    /** This replica is prepared too and does not know the outcome. */
    UNCERTAIN
}
