package chorus.console.service;

/** A call to a replica did not return within the console's deadline; its outcome is unknown. */
public class CallTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
