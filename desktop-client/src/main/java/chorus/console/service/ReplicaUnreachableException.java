package chorus.console.service;

/** The console has no working connection to a replica (the message says why). */
public class ReplicaUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReplicaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
