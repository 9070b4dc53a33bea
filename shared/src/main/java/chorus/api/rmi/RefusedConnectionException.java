package chorus.api.rmi;

import java.io.IOException;

/**
 * A replica refused a new connection at once, or a call while reading it, saying why: "the
 * connection: too many client connections (limit 256)", "a client call of more than ... bytes".
 * RMI reports it as the cause of a {@code ConnectIOException} (nothing was sent) or of a
 * {@code MarshalException} (the call was cut off; it did not run).
 */
public final class RefusedConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String what;

    /** @param what what was refused and why: "the connection: too many client connections (limit 256)" */
    public RefusedConnectionException(String replica, String hostPort, String what) {
        super(replica + " at " + hostPort + " refused " + what);
        this.what = what;
    }

    /** What was refused and why, in the replica's words: "the connection: too many client connections (limit 256)". */
    public String what() {
        return what;
    }
}
