package chorus.server.protocol;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a blocking peer call with a deadline of its own on top of the transport's timeouts. */
final class Calls {

    private Calls() {
    }

    static <T> T within(ExecutorService executor, Duration timeout, Callable<T> call) throws Exception {
        Future<T> f = executor.submit(call);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof Exception ex ? ex : new ExecutionException(c);
        }
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
