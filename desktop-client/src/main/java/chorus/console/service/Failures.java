package chorus.console.service;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.OutcomeUnknownException;
import chorus.api.ReadTimeoutException;
import chorus.api.TransactionAbortedException;
import chorus.api.config.ConfigException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.util.concurrent.ExecutionException;

/** Turns any failure of a call into one line for the operator: what happened and why, never a stack trace. */
public final class Failures {

    private Failures() {
    }

    public static String describe(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof TransactionAbortedException a) {
            return "aborted: " + a.reason();
        }
        if (e instanceof InvalidRequestException) {
            return "rejected: " + e.getMessage();
        }
        if (e instanceof ReadTimeoutException) {
            return "read timed out: " + e.getMessage();
        }
        if (e instanceof OutcomeUnknownException) {
            return "outcome unknown: " + e.getMessage();
        }
        if (e instanceof NotPermittedException) {
            return "refused: " + e.getMessage();
        }
        if (e instanceof CallTimeoutException || e instanceof ReplicaUnreachableException || e instanceof ConfigException) {
            return e.getMessage();
        }
        if (e instanceof RemoteException r) {
            return "unreachable: " + transportCause(r);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The innermost cause of a transport failure, in words. */
    static String transportCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof SocketTimeoutException) {
            return "no answer in time (" + root.getMessage() + ")";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (t instanceof NoSuchObjectException || root instanceof NoSuchObjectException) {
            return "the replica restarted (stale connection)";
        }
        if (root instanceof RemoteException && root.getMessage() != null) {
            return root.getMessage();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof java.lang.reflect.UndeclaredThrowableException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
