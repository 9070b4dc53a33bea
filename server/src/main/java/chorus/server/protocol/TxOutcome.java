package chorus.server.protocol;

/** What a replica knows of a transaction's outcome when asked by a participant that waits for it. */
public enum TxOutcome {
    COMMITTED,
    ABORTED,
    /** The coordinator is still collecting votes; ask again later. */
    PENDING,
    /**
     * This replica voted YES: its prepare is durable, and it waits for the outcome. Asked of every
     * member by a coordinator that restarted with its own prepare and no decision (parallel commit:
     * the transaction committed if every member holds it prepared).
     */
    PREPARED,
    /** This replica cannot tell: it may have applied the outcome and forgotten it since. */
    UNCERTAIN,
    /**
     * The coordinator has no record of it: it aborted, or it committed and every participant
     * acknowledged (the COMMIT record is then forgotten). For a participant that asks, which has
     * not acknowledged, that means aborted (presumed abort). A replica that took the transaction
     * over at its readmission (see {@link Participant#adopt}) was never a participant, and asks the
     * participants instead.
     */
    PRESUMED_ABORTED
}
