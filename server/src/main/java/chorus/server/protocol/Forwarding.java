package chorus.server.protocol;

import chorus.api.ChorusException;
import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import java.net.ConnectException;
import java.rmi.ConnectIOException;
import java.rmi.NoSuchObjectException;
import java.time.Duration;
import java.util.List;

/**
 * Hands a group of this replica's client writes to the replica that coordinates every write
 * (under {@link chorus.api.config.Coordination#LEADER}) and passes its answer back. It stands where
 * the coordinator stands at a replica that coordinates its own writes: behind {@link WriteGroups},
 * so that the writes waiting here travel as one call and join the leader's groups as one write.
 * The leader's own refusals (an abort, a bad request) reach the client unchanged. A failed call is told apart by
 * whether the write can have started there: a refused connection, or a leader refusing calls
 * in simulated failure, means nothing was written; any other failure (a read timeout, a reset
 * connection) leaves the outcome unknown, as a lost answer from a coordinator does.
 *
 * <p>The transaction is the leader's, and so are its events; this replica records only the forward,
 * so that its own event log shows where its clients' writes went: FORWARDED with the leader's
 * transaction id (which puts the forward on that transaction's timeline in a console), or, when the
 * call failed, TIMED_OUT or UNREACHABLE without one (logged at WARN, as every such event is).
 */
final class Forwarding implements WriteGroups.Transactions {

    private final int self;
    private final java.util.function.IntSupplier leaders;
    private final PeerChannel channel;
    private final EventLog events;
    private final ReplicaMetrics metrics;
    private final Duration budget;
    private final Clock clock;

    /**
     * @param budget how long a forward may take (the channel stops waiting for the
     *               answer then): with the wait
     *               for a group before it (at most the other half of the transaction deadline), the
     *               client is answered within the transaction deadline, and so before its own read
     *               timeout, even when the leader is paused and would hold the call for the whole
     *               read timeout
     */
    Forwarding(int self, java.util.function.IntSupplier leaders, PeerChannel channel, EventLog events, ReplicaMetrics metrics, Duration budget, Clock clock) {
        this.self = self;
        this.leaders = leaders;
        this.channel = channel;
        this.events = events;
        this.metrics = metrics;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException {
        long start = clock.nanoTime();
        // The lowest member of the current view: it changes when a view leaves the leader out.
        int leader = leaders.getAsInt();
        try {
            WriteResult result = channel.forward(leader, mutations, budget);
            forwarded(leader, mutations, result.txId(), "coordinated by replica " + leader, start);
            return result;
        } catch (TransactionAbortedException e) {
            forwarded(leader, mutations, e.txId(), "replica " + leader + " aborted it: " + e.reason(), start);
            throw e;
        } catch (ChorusException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String what = "replica " + self + " forwards writes to replica " + leader + ", the coordinator of every write, which ";
            if (neverStarted(e)) {
                String why = what + "could not be reached (" + Calls.describe(e) + ")";
                failed(leader, mutations, EventType.UNREACHABLE, why + "; nothing was written", start);
                throw new WriteNotStartedException(why + "; nothing was written");
            }
            boolean timedOut = Calls.isTimeout(e);
            String why = what + "did not answer" + (timedOut ? " within " + budget.toMillis() + " ms" : "") + " ("
                    + Calls.describe(e) + ")";
            if (timedOut) {
                metrics.timedOut(); // counted in this replica's status, which a console's replica card shows
            }
            failed(leader, mutations, timedOut ? EventType.TIMED_OUT : EventType.UNREACHABLE, why + "; outcome unknown", start);
            throw new OutcomeUnknownException(null, why + "; the write may or may not have taken effect, a read tells");
        }
    }

    private void forwarded(int leader, List<Mutation> mutations, TxId txId, String reason, long start) {
        if (txId != null) {
            events.record(Role.FORWARDER, EventType.FORWARDED, txId, leader, Summaries.keys(mutations),
                    Summaries.operation(mutations), reason, micros(start));
        }
    }

    private void failed(int leader, List<Mutation> mutations, EventType type, String reason, long start) {
        events.record(Role.FORWARDER, type, null, leader, Summaries.keys(mutations), Summaries.operation(mutations), reason,
                micros(start));
    }

    private long micros(long startNanos) {
        return (clock.nanoTime() - startNanos) / 1_000;
    }

    /** True when the call cannot have reached the leader's write path. */
    static boolean neverStarted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectIOException || t instanceof NoSuchObjectException) {
                return true;
            }
            if (String.valueOf(t.getMessage()).contains("(simulated failure)")) {
                return true;
            }
        }
        return false;
    }
}
