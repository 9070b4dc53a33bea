package chorus.api;

/**
 * A membership change (exclude, readmit) was not agreed within its time: no majority of the
 * configured replicas answered, or a read lease of the replica to exclude still runs. The message
 * names the replicas and their reasons. The view is then unchanged, or changed by a competing
 * proposal that won (the message says which).
 */
public class ViewChangeException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public ViewChangeException(String message) {
        super(message);
    }
}
