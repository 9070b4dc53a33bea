package chorus.api;

/**
 * Base of every failure that Chorus reports to a caller on purpose (as opposed to a transport
 * failure, which arrives as a {@link java.rmi.RemoteException}). The message is meant for a person:
 * it names the replica and the reason.
 */
public class ChorusException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChorusException(String message) {
        super(message);
    }

    public ChorusException(String message, Throwable cause) {
        super(message, cause);
    }
}
