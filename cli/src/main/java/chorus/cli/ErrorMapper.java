package chorus.cli;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.OutcomeUnknownException;
import chorus.api.ReadTimeoutException;
import chorus.api.TransactionAbortedException;
import chorus.api.config.ConfigException;
import chorus.api.rmi.RefusedConnectionException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;

/**
 * Turns whatever a call to a replica threw into one line and an exit code. The line names the
 * replica first, then the replica's own reason, so that the operator sees who said what.
 */
public final class ErrorMapper {

    private static final String NESTED = "; nested exception is:";

    private ErrorMapper() {
    }

    /** Maps a failure of a call to {@code target}. */
    public static CliException map(Target target, Throwable t) {
        if (t instanceof CliException c) {
            return c;
        }
        if (t instanceof ConfigException) {
            return new CliException(ExitCodes.USAGE, t.getMessage(), t);
        }
        String who = target.label() + ": ";
        if (t instanceof InvalidRequestException) {
            return new CliException(ExitCodes.INVALID_INPUT, who + "rejected: " + t.getMessage(), t);
        }
        if (t instanceof OutcomeUnknownException) {
            return new CliException(ExitCodes.OUTCOME_UNKNOWN, who + "outcome unknown: " + t.getMessage(), t);
        }
        if (t instanceof TransactionAbortedException || t instanceof ReadTimeoutException
                || t instanceof NotPermittedException || t instanceof ChorusException) {
            return new CliException(ExitCodes.FAILED, who + t.getMessage(), t);
        }
        if (t instanceof RemoteException r && refusal(r) != null) {
            // The replica answered, with a refusal of its own (too many connections, a call too large).
            return new CliException(ExitCodes.UNREACHABLE, who + describe(r), t);
        }
        if (t instanceof RemoteException r) {
            return new CliException(ExitCodes.UNREACHABLE, who + "unreachable: " + describe(r), t);
        }
        return new CliException(ExitCodes.INTERNAL, who + "unexpected " + t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
    }

    /**
     * A transport failure in a few words ("connection refused (is the replica running?)", "no
     * answer within the read timeout"), instead of RMI's nested multi-line message.
     */
    public static String describe(Throwable t) {
        RefusedConnectionException refused = refusal(t);
        if (refused != null) {
            return "refused " + refused.what();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused (is the replica running?)";
        }
        if (root instanceof SocketTimeoutException) {
            String m = root.getMessage() == null ? "" : root.getMessage().toLowerCase(java.util.Locale.ROOT);
            return m.contains("connect") ? "connect timed out" : "no answer within the read timeout";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (root instanceof NoSuchObjectException) {
            return "the replica restarted or no longer exports its services";
        }
        if (root instanceof java.io.EOFException || root instanceof java.net.SocketException) {
            return "connection lost (" + ownMessage(root) + ")";
        }
        return ownMessage(root == t ? t : root);
    }

    private static RefusedConnectionException refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RefusedConnectionException r) {
                return r;
            }
        }
        return null;
    }

    /** The message without RMI's "; nested exception is:" tail. */
    static String ownMessage(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nested = m.indexOf(NESTED);
        m = nested >= 0 ? m.substring(0, nested) : m;
        return m.replace('\n', ' ').replace('\t', ' ').strip();
    }
}
