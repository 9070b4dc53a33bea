package chorus.console.viewmodel;

/**
 * A transaction's state on one replica as the log shows it. Each has a label and a style class (the
 * view adds a colour and an icon of its own shape, so colour is never the only cue). The rank orders
 * states so that events arriving out of order never move a replica backwards.
 */
public enum TxState {
    STARTED("STARTED", "started", 0),
    PREPARED("PREPARED", "prepared", 1),
    VOTED_NO("VOTED NO", "voted-no", 2),
    TIMED_OUT("TIMED OUT", "timed-out", 3),
    UNREACHABLE("UNREACHABLE", "unreachable", 3),
    IN_DOUBT("IN DOUBT", "in-doubt", 4),
    COMMITTED("COMMITTED", "committed", 5),
    ABORTED("ABORTED", "aborted", 5);

    private final String label;
    private final String styleClass;
    private final int rank;

    TxState(String label, String styleClass, int rank) {
        this.label = label;
        this.styleClass = styleClass;
        this.rank = rank;
    }

    public String label() {
        return label;
    }

    public String styleClass() {
        return "tx-" + styleClass;
    }

    public boolean isFinal() {
        return rank == 5;
    }

    /** Whether {@code next} may replace this state. */
    boolean yieldsTo(TxState next) {
        return next.rank >= rank;
    }

    @Override
    public String toString() {
        return label;
    }
}
