package chorus.api;

/** An admin call that this replica refuses (unknown transaction, wrong state, missing token...). */
public class NotPermittedException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public NotPermittedException(String message) {
        super(message);
    }
}
