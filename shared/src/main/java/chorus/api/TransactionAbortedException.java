package chorus.api;

import chorus.api.model.AbortCause;
import chorus.api.model.TxId;

/**
 * A write was decided ABORT: no replica applied any of it. {@link #cause()} tells a caller whether
 * retrying can help (a conflict or a timeout) or not (a failed version check).
 */
public class TransactionAbortedException extends ChorusException {
    private static final long serialVersionUID = 1L;

    private final TxId txId;
    private final AbortCause abortCause;
    private final String reason;

    public TransactionAbortedException(TxId txId, AbortCause abortCause, String reason) {
        super("aborted " + txId + ": " + reason);
        this.txId = txId;
        this.abortCause = abortCause;
        this.reason = reason;
    }

    public TxId txId() {
        return txId;
    }

    public AbortCause abortCause() {
        return abortCause;
    }

    /** The reason alone, for example "replica 3 did not vote within 2000 ms". */
    public String reason() {
        return reason;
    }
}
