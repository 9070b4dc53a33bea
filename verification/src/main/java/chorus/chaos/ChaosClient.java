package chorus.chaos;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.KeyValueService;
import chorus.api.NotServingException;
import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import java.rmi.ConnectException;
import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.rmi.ServerException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One client of a chaos run: reads, writes, deletes, conditional writes and batches on a small key
 * set, each against a replica chosen at random, each recorded in the history with its outcome.
 * Every value it writes is unique ("c{client}-{n}"), so any value read names the write it came from.
 *
 * <p>A write's outcome is FAIL only where the system says for certain that nothing was written:
 * {@link TransactionAbortedException} (decided ABORT), {@link WriteNotStartedException},
 * {@link NotServingException} (an excluded coordinator), {@link InvalidRequestException}, and calls
 * that never reached the replica. Anything else is unknown. A read has no effect, so a failed read
 * is FAIL however it failed ({@link NotServingException} at an excluded or lease-less replica
 * included). {@code ViewChangeException} comes from exclude and readmit only, never from a client
 * call; it would be unknown here (see {@link MembershipChanges} for why it proves nothing).
 */
final class ChaosClient implements Runnable {

    private final int id;
    private final ChaosCluster cluster;
    private final History history;
    private final Random random;
    private final BooleanSupplier stop;
    private final Map<Integer, KeyValueService> stubs = new HashMap<>();
    private final OperationMix mix;

    ChaosClient(int id, ChaosCluster cluster, History history, List<String> keys, long seed, BooleanSupplier stop) {
        this.id = id;
        this.cluster = cluster;
        this.history = history;
        this.random = new Random(seed);
        this.mix = new OperationMix(id, keys, random);
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            int replica = cluster.ids().get(random.nextInt(cluster.ids().size()));
            boolean failed = step(replica);
            // Back off after a failure, so that a dead replica does not turn into thousands of failed calls.
            ChaosCluster.pauseBriefly(failed ? 100 + random.nextInt(200) : random.nextInt(5));
        }
    }

    /** One operation; true if it did not succeed. */
    private boolean step(int replica) {
        OperationMix.Next next = mix.next();
        return next.kind() == History.Kind.READ ? read(replica, next.key()) : write(replica, next.kind(), next.mutations());
    }

    private boolean read(int replica, String key) {
        KeyValueService kv = lookup(replica);
        if (kv == null) {
            return true;
        }
        int op = history.invokeRead(id, replica, key);
        try {
            ReadResult r = kv.get(key);
            history.okRead(op, r);
            mix.saw(key, r.version());
            return false;
        } catch (RemoteException e) {
            stubs.remove(replica);
            history.fail(op, null, describe(e));
        } catch (ChorusException | RuntimeException e) {
            // A read has no effect: a failed read, however it failed, constrains nothing.
            history.fail(op, null, describe(e));
        }
        return true;
    }

    private boolean write(int replica, History.Kind kind, List<Mutation> mutations) {
        KeyValueService kv = lookup(replica);
        if (kv == null) {
            return true;
        }
        int op = history.invokeWrite(id, replica, kind, mutations);
        try {
            WriteResult w = kv.execute(mutations);
            history.okWrite(op, w.versions());
            mix.saw(w.versions());
            return false;
        } catch (TransactionAbortedException e) {
            // Decided ABORT by the coordinator: applied nowhere.
            history.fail(op, e.abortCause(), e.reason());
        } catch (InvalidRequestException e) {
            history.fail(op, null, describe(e));
        } catch (WriteNotStartedException e) {
            // Refused before any replica prepared it (busy, or the leader unreachable): the checker
            // holds the replica to its word that nothing was written.
            history.fail(op, null, describe(e));
        } catch (NotServingException e) {
            // The coordinator (the called replica, or under leader coordination the leader it
            // forwarded to) is no member of its view: it refuses before its first attempt, or after
            // attempts that it decided ABORT (refused as of an older epoch): nothing was written.
            history.fail(op, null, describe(e));
        } catch (OutcomeUnknownException e) {
            history.info(op, describe(e));
        } catch (ConnectException | NoSuchObjectException e) {
            // Refused connection, or a stale stub of a restarted replica: the call never ran.
            stubs.remove(replica);
            history.fail(op, null, describe(e));
        } catch (ServerException e) {
            stubs.remove(replica);
            if (String.valueOf(e.getMessage()).contains("(simulated failure)")) {
                // Refused at the door by the failure switch, before any protocol step.
                history.fail(op, null, describe(e));
            } else {
                history.info(op, describe(e));
            }
        } catch (RemoteException e) {
            // Lost connection, read timeout: the write may have been decided either way.
            stubs.remove(replica);
            history.info(op, describe(e));
        } catch (ChorusException | RuntimeException e) {
            history.info(op, describe(e));
        }
        return true;
    }

    /** The replica's stub, or null when it cannot even be looked up (then no operation is recorded). */
    private KeyValueService lookup(int replica) {
        KeyValueService s = stubs.get(replica);
        if (s == null) {
            try {
                s = cluster.connection(replica).kv();
            } catch (RemoteException | RuntimeException e) {
                return null;
            }
            stubs.put(replica, s);
        }
        return s;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e instanceof ChorusException ? e.getMessage() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
