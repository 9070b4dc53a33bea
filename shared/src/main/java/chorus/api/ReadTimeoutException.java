package chorus.api;

/**
 * A read found the key locked by a prepared transaction whose outcome this replica did not learn
 * within the read timeout. Answering with the old value could contradict a read elsewhere, so the
 * replica refuses to answer instead.
 */
public class ReadTimeoutException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public ReadTimeoutException(String message) {
        super(message);
    }
}
