package chorus.server.protocol;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.rmi.ConnectIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/** Runs a blocking peer call with a deadline of its own on top of the transport's timeouts. */
final class Calls {

    private Calls() {
    }

    static <T> T within(Scheduler scheduler, ExecutorService executor, Duration timeout, Callable<T> call) throws Exception {
        Future<T> f = executor.submit(call);
        try {
            return scheduler.await(f, timeout.toNanos());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof Exception ex ? ex : new ExecutionException(c);
        }
    }

    /** True when {@code e} is a call that ran out of time rather than one that could not connect. */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof ConnectException || t instanceof ConnectIOException) {
                return false;
            }
        }
        return false;
    }

    /** A short description of a failed call: the exception's own words, without stack or class noise. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        String name = root.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? name : name + ": " + msg;
    }
}
