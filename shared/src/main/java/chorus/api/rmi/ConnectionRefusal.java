package chorus.api.rmi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How a replica turns a connection or a call away: one line of text, then the connection closes.
 * A new connection gets it before RMI (or TLS) starts on it: its first byte can be neither the
 * first byte of an RMI server's answer (ProtocolAck 0x4E, ProtocolNack 0x4F) nor of a TLS record
 * (0x14 to 0x18), so a client that reads it where those belong knows it for what it is. A plain
 * connection whose call is refused while it is read gets it too: the caller, still writing,
 * finds it when its write fails (nothing else is sent to a caller mid-call).
 */
public final class ConnectionRefusal {

    static final String PREFIX = "CHORUS-REFUSED ";
    /** The longest line a client reads; a longer one is cut. */
    static final int MAX_LINE = 512;

    private ConnectionRefusal() {
    }

    /** The line replica {@code replica} sends when it refuses {@code what} ("the connection: too many ..."). */
    public static byte[] line(int replica, String what) {
        return (PREFIX + replica + " " + what.replace('\n', ' ') + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsOne(int firstByte) {
        return firstByte == PREFIX.charAt(0);
    }

    /** Builds the exception for a refusal line read from {@code host:port}; a malformed line still reads as a refusal. */
    static RefusedConnectionException parse(String line, String hostPort) {
        String body = line.startsWith(PREFIX) ? line.substring(PREFIX.length()).strip() : line.strip();
        int space = body.indexOf(' ');
        String replica = space > 0 && body.substring(0, space).chars().allMatch(Character::isDigit) ? body.substring(0, space) : null;
        String what = replica == null ? body : body.substring(space + 1);
        return new RefusedConnectionException(replica == null ? "the replica" : "replica " + replica, hostPort, what);
    }

    /** The refusal an {@link IOException} carries somewhere in its causes, if any (TLS wraps it). */
    static RefusedConnectionException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RefusedConnectionException r) {
                return r;
            }
        }
        return null;
    }
}
