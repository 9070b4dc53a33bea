package chorus.console.service;

import chorus.api.config.ReplicaAddress;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The console's connection to one replica. Connects lazily, drops the connection on any transport
 * failure (so that the next call looks the replica up again, which is how a restarted replica is
 * found) and bounds every call by a deadline: the call runs on a worker and the caller stops
 * waiting when the deadline passes, even if the replica is frozen and the socket never times out.
 */
public final class ReplicaLink {

    /** A call on a replica's services. */
    @FunctionalInterface
    public interface RemoteCall<T> {
        T call(ReplicaConnection connection) throws Exception;
    }

    private final ReplicaAddress address;
    private final ReplicaConnector connector;
    private final ExecutorService calls;
    private volatile ReplicaConnection connection;
    /** Calls whose caller gave up but whose thread still waits on the replica. */
    private final java.util.concurrent.atomic.AtomicInteger abandoned = new java.util.concurrent.atomic.AtomicInteger();

    public ReplicaLink(ReplicaAddress address, ReplicaConnector connector, ExecutorService calls) {
        this.address = address;
        this.connector = connector;
        this.calls = calls;
    }

    public ReplicaAddress address() {
        return address;
    }

    public <T> T call(RemoteCall<T> call, Duration deadline) throws Exception {
        Callable<T> task = () -> {
            ReplicaConnection c = connection;
            if (c == null) {
                try {
                    c = connector.connect(address);
                } catch (RemoteException e) {
                    throw new ReplicaUnreachableException("replica " + address.id() + " (" + address.hostPort()
                            + ") is unreachable: " + Failures.transportCause(e), e);
                }
                connection = c;
            }
            try {
                return call.call(c);
            } catch (RemoteException e) {
                connection = null;
                throw new ReplicaUnreachableException("replica " + address.id() + " (" + address.hostPort()
                        + ") is unreachable: " + Failures.transportCause(e), e);
            }
        };
        java.util.concurrent.atomic.AtomicBoolean gaveUp = new java.util.concurrent.atomic.AtomicBoolean();
        Future<T> f = calls.submit(() -> {
            try {
                return task.call();
            } finally {
                if (!gaveUp.compareAndSet(false, true)) {
                    abandoned.decrementAndGet();
                }
            }
        });
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (gaveUp.compareAndSet(false, true)) {
                abandoned.incrementAndGet();
            }
            // A frozen replica may leave the connection half-used: look it up afresh next time.
            connection = null;
            throw new CallTimeoutException("replica " + address.id() + " (" + address.hostPort()
                    + ") did not answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** How many earlier calls timed out on the console's side and still wait for the replica. */
    public int abandonedCalls() {
        return abandoned.get();
    }

    /** Forgets the connection so that the next call looks the replica up again. */
    public void reset() {
        connection = null;
    }
}
