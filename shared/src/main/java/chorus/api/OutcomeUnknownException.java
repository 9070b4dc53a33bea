package chorus.api;

import chorus.api.model.TxId;

/**
 * The coordinator could not learn or make durable a decision in time (for example its own storage
 * failed). The write may or may not take effect; a later read tells.
 */
public class OutcomeUnknownException extends ChorusException {
    private static final long serialVersionUID = 1L;

    private final TxId txId;

    public OutcomeUnknownException(TxId txId, String message) {
        super(message);
        this.txId = txId;
    }

    public TxId txId() {
        return txId;
    }
}
