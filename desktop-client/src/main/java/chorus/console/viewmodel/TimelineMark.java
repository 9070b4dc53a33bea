package chorus.console.viewmodel;

/**
 * One step on a replica's lane of a transaction's timeline, {@code offsetMillis} after the first
 * step, in one of the protocol's phases (the timeline's columns).
 */
public record TimelineMark(long offsetMillis, Phase phase, String label, TxState state) {

    /** The columns of a timeline, in protocol order. */
    public enum Phase {
        PREPARE("PREPARE sent"), VOTE("Vote"), DECISION("Decision"), ACKNOWLEDGEMENT("Applied / acknowledged"),
        TIMEOUT("Timeouts and other steps");

        private final String title;

        Phase(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }
}
