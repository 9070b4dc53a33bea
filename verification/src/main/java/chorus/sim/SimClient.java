package chorus.sim;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.chaos.History;
import chorus.chaos.OperationMix;
import java.rmi.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A client of the simulated cluster: GETs, PUTs, DELETEs, CASes and atomic batches at random
 * replicas, each recorded in the {@link History} as the chaos clients record theirs: OK, FAIL
 * (certainly not applied) or INFO (outcome unknown).
 */
final class SimClient implements Runnable {

    private final int id;
    private final Sim sim;
    private final SimCluster cluster;
    private final History history;
    private final SplittableRandom random;
    private final BooleanSupplier stop;
    private final Duration readTimeout;
    private final OperationMix mix;
    private final SimScheduler scheduler;
    private int operations;

    SimClient(int id, Sim sim, Host host, SimCluster cluster, History history, List<String> keys, BooleanSupplier stop) {
        this.id = id;
        this.sim = sim;
        this.cluster = cluster;
        this.history = history;
        this.random = sim.random.split();
        this.mix = new OperationMix(id, keys, random);
        this.stop = stop;
        this.readTimeout = cluster.config.timeouts().read();
        this.scheduler = new SimScheduler(sim, host);
    }

    int operations() {
        return operations;
    }

    @Override
    public void run() {
        List<Integer> ids = cluster.config.ids();
        while (!stop.getAsBoolean()) {
            int replica = ids.get(random.nextInt(ids.size()));
            boolean failed = step(replica);
            operations++;
            try {
                // Back off after a failure, so that a dead replica does not turn into thousands of failed calls.
                scheduler.sleep(failed ? 50_000_000 + random.nextLong(100_000_000) : random.nextLong(3_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean step(int replica) {
        OperationMix.Next next = mix.next();
        return next.kind() == History.Kind.READ ? read(replica, next.key()) : write(replica, next.kind(), next.mutations());
    }

    private boolean read(int replica, String key) {
        int op = history.invokeRead(id, replica, key);
        try {
            ReadResult r = cluster.network.call(SimNetwork.CLIENTS, replica, "GET " + key, false, readTimeout,
                    n -> cluster.read(cluster.replicas.get(replica), n, key));
            history.okRead(op, r);
            mix.saw(key, r.version());
            return false;
        } catch (Exception e) {
            // A read has no effect: a failed read, however it failed, constrains nothing.
            history.fail(op, null, describe(e));
            return true;
        }
    }

    private boolean write(int replica, History.Kind kind, List<Mutation> mutations) {
        int op = history.invokeWrite(id, replica, kind, mutations);
        try {
            WriteResult w = cluster.network.call(SimNetwork.CLIENTS, replica, kind + " " + mutations, false, readTimeout,
                    n -> n.execute(mutations));
            history.okWrite(op, w.versions());
            mix.saw(w.versions());
            sim.trace.line(sim.now(), "c" + id, "ok " + kind + " " + mutations + " -> " + w.txId()
                    + " " + new java.util.TreeMap<>(w.versions())); // sorted: a Map.copyOf iterates in a per-JVM order
            return false;
        } catch (TransactionAbortedException e) {
            history.fail(op, e.abortCause(), e.reason()); // decided ABORT by the coordinator: applied nowhere
        } catch (InvalidRequestException | WriteNotStartedException | chorus.api.NotServingException e) {
            history.fail(op, null, describe(e)); // refused before any replica prepared it
        } catch (ConnectException e) {
            history.fail(op, null, describe(e)); // a refused connection: the call never ran
        } catch (OutcomeUnknownException e) {
            history.info(op, describe(e));
        } catch (Exception e) {
            history.info(op, describe(e)); // a lost connection, a read timeout: decided either way, or not at all
        }
        return true;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e instanceof ChorusException ? e.getMessage() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
