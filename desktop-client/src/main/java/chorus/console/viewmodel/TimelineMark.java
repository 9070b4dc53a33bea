package chorus.console.viewmodel;

/** One step on a replica's lane of a transaction's timeline, {@code offsetMillis} after the first step. */
public record TimelineMark(long offsetMillis, String label, TxState state) {
}
