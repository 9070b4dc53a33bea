package chorus.api;

/**
 * A write refused before any replica prepared it: nothing was written, so trying it again is safe.
 * The replica that received it was busy with earlier writes for longer than a write may wait, or,
 * under leader coordination, could not reach the replica that coordinates every write.
 */
public class WriteNotStartedException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public WriteNotStartedException(String message) {
        super(message);
    }
}
