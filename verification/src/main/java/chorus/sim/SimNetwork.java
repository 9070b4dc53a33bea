package chorus.sim;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.protocol.CatchUpStart;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.FinalSync;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.Decided;
import chorus.server.protocol.DecisionAck;
import chorus.server.protocol.PeerChannel;
import chorus.server.protocol.Exchanged;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.rmi.ConnectException;
import java.rmi.UnmarshalException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated network between clients and replicas, and among replicas: each call is a request
 * and a reply, each delayed, possibly lost (the caller then waits out its read timeout, as over a
 * TCP connection whose peer went silent), some requests delivered twice, links cut one way or both
 * ways. A replica that is down refuses the connection; one that crashes while serving a call
 * resets it. Everything is drawn from the seed.
 *
 * <p>What is not simulated: RMI's marshalling (objects are handed over, not copied; they are
 * immutable records) and connection set-up (a call to a reachable, running replica always gets
 * through, or times out on its read).
 */
final class SimNetwork {

    /** The fault rates of one lifetime, drawn from its seed. */
    record Weather(double loss, double duplication, double slow, long baseLatencyNanos) {
    }

    @FunctionalInterface
    interface Serve<T> {
        T on(ReplicaNode node) throws Exception;
    }

    /** One call: filled in by the reply, or abandoned by the caller at its timeout. */
    static final class Exchange<T> {
        final SimThread caller;
        final long token;
        boolean done;
        T value;
        Exception error;

        Exchange(SimThread caller, long token) {
            this.caller = caller;
            this.token = token;
        }
    }

    static final int CLIENTS = 0;

    private final Sim sim;
    private final Map<Integer, SimReplica> replicas;
    private final Weather weather;
    /** Cut links, as from * 100 + to. */
    private final Set<Integer> cut = new HashSet<>();
    /** After healing: no message is lost, duplicated or slow any more. */
    private boolean calm;

    SimNetwork(Sim sim, Map<Integer, SimReplica> replicas, Weather weather) {
        this.sim = sim;
        this.replicas = replicas;
        this.weather = weather;
    }

    void cut(int from, int to) {
        cut.add(from * 100 + to);
    }

    void healAll() {
        cut.clear();
    }

    /** From now on every message arrives once, after the base latency: the network is healed for good. */
    void calm() {
        calm = true;
        cut.clear();
    }

    private boolean lost() {
        return !calm && sim.random.nextDouble() < weather.loss();
    }

    boolean anyCut() {
        return !cut.isEmpty();
    }

    private boolean blocked(int from, int to) {
        return cut.contains(from * 100 + to);
    }

    private long latency() {
        long l = weather.baseLatencyNanos() + sim.random.nextLong(weather.baseLatencyNanos() * 4 + 1);
        if (!calm && sim.random.nextDouble() < weather.slow()) {
            l += 1_000_000 + sim.random.nextLong(200_000_000); // a slow message: 1-200 ms more
        }
        return l;
    }

    private static String who(int id) {
        return id == CLIENTS ? "client" : "r" + id;
    }

    /**
     * A call from {@code from} (a replica, or {@link #CLIENTS}) to replica {@code to}, served there by
     * {@code serve}; waits for the reply at most {@code timeout}, then fails as a read timeout.
     * A call of a replica to itself runs in the calling thread, as RMI's channel does.
     */
    <T> T call(int from, int to, String what, boolean duplicable, Duration timeout, Serve<T> serve) throws Exception {
        SimReplica target = replicas.get(to);
        if (from == to) {
            return serve.on(target.node);
        }
        SimThread caller = SimThread.current();
        long token = sim.beginPark(caller);
        Exchange<T> x = new Exchange<>(caller, token);
        if (!target.up()) {
            sim.after(latency(), () -> reply(x, to, from, null, new ConnectException("Connection refused to host: " + who(to),
                    new java.net.ConnectException("Connection refused")), true));
        } else {
            Host server = target.host;
            sim.after(latency(), () -> deliver(x, from, target, server, what, serve));
            if (duplicable && !calm && sim.random.nextDouble() < weather.duplication()) {
                sim.after(latency() * 3, () -> deliver(x, from, target, server, what + " (duplicate)", serve));
            }
        }
        SimThread.Wake w = sim.park(caller, token, timeout.toNanos(), false);
        if (!x.done) {
            x.done = true; // abandoned: a late reply finds nobody
            if (w != SimThread.Wake.TIMEOUT) {
                throw new IllegalStateException(caller + " woke (" + w + ") before its call to " + who(to) + " was answered");
            }
            sim.trace.line(sim.now(), who(from), what + " to " + who(to) + ": no answer within " + timeout.toMillis() + " ms");
            throw new UnmarshalException("error unmarshalling return header", new SocketTimeoutException("Read timed out"));
        }
        if (x.error != null) {
            throw x.error;
        }
        return x.value;
    }

    private <T> void deliver(Exchange<T> x, int from, SimReplica target, Host server, String what, Serve<T> serve) {
        // Delivered even if the caller has given up: a request already sent is read and served, as
        // RMI's server reads it off the socket before it notices the caller is gone.
        if (blocked(from, target.id) || lost()) {
            sim.trace.line(sim.now(), who(from), what + " to " + who(target.id) + " lost");
            return;
        }
        if (target.host != server || !server.alive || target.node == null) {
            reply(x, target.id, from, null, new UnmarshalException("error unmarshalling return",
                    new SocketException("Connection reset")), true);
            return;
        }
        ReplicaNode node = target.node;
        sim.trace.line(sim.now(), who(target.id), "<- " + who(from) + " " + what);
        target.serving.add(x);
        sim.spawn(server, "rmi", () -> {
            T value = null;
            Exception error = null;
            try {
                value = serve.on(node);
            } catch (Exception e) {
                error = e;
            }
            target.serving.remove(x);
            reply(x, target.id, from, value, error, false);
        });
    }

    private <T> void reply(Exchange<T> x, int server, int client, T value, Exception error, boolean certain) {
        sim.after(latency(), () -> {
            if (x.done) {
                return;
            }
            if (!certain && (blocked(server, client) || lost())) {
                sim.trace.line(sim.now(), who(server), "reply to " + who(client) + " lost");
                return;
            }
            x.done = true;
            x.value = value;
            x.error = error;
            sim.signal(x.caller, x.token, SimThread.Wake.SIGNAL);
        });
    }

    /** A crash of {@code r}'s process resets the connections of the calls it was serving. */
    void reset(SimReplica r) {
        for (Exchange<?> x : List.copyOf(r.serving)) {
            reply(x, r.id, -1, null, new UnmarshalException("error unmarshalling return", new SocketException("Connection reset")),
                    true);
        }
        r.serving.clear();
    }

    /** What replica {@code self} reaches its peers through. */
    PeerChannel channelFor(int self, Duration readTimeout) {
        return new PeerChannel() {
            @Override
            public Vote lock(int replica, PrepareRequest request) throws Exception {
                return call(self, replica, "LOCK " + request.txId(), true, readTimeout, n -> n.lock(request));
            }

            @Override
            public Vote prepare(int replica, PrepareRequest request) throws Exception {
                return call(self, replica, "PREPARE " + request.txId(), true, readTimeout, n -> n.prepare(request));
            }

            @Override
            public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
                return call(self, replica, "PREPARE " + requests.stream().map(r -> r.txId().toString()).toList(), true, readTimeout,
                        n -> n.prepareAll(requests));
            }

            @Override
            public void decide(int replica, TxId txId, Decision decision) throws Exception {
                call(self, replica, decision + " " + txId, true, readTimeout, n -> {
                    n.decide(txId, decision);
                    return null;
                });
            }

            @Override
            public DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
                return call(self, replica, "DECIDE " + decisions.stream().map(d -> d.decision() + " " + d.txId()).toList(), true,
                        readTimeout, n -> n.decideAll(decisions));
            }

            @Override
            public Exchanged exchange(int replica, List<Decided> decisions, List<PrepareRequest> prepares) throws Exception {
                return call(self, replica, "EXCHANGE " + decisions.stream().map(d -> d.decision() + " " + d.txId()).toList()
                        + " PREPARE " + prepares.stream().map(r -> r.txId().toString()).toList(), true, readTimeout,
                        n -> n.exchange(decisions, prepares));
            }

            @Override
            public DecisionAck durability(int replica) throws Exception {
                return call(self, replica, "DURABILITY?", true, readTimeout, ReplicaNode::durability);
            }

            @Override
            public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
                return call(self, replica, "OUTCOME? " + txId, true, readTimeout, n -> n.outcome(txId, preparedAtMillis));
            }

            @Override
            public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
                // Never duplicated: over TCP one call is one delivery, and a forward is not idempotent.
                return call(self, replica, "FORWARD " + mutations.size() + " writes", false,
                        budget.compareTo(readTimeout) < 0 ? budget : readTimeout, n -> n.coordinateForwarded(mutations));
            }

            // Membership messages may be duplicated: an acceptor answers a repeated promise or
            // acceptance as before, and a repeated lease grant or view only renews or repeats.

            @Override
            public Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
                return call(self, replica, "PROMISE? epoch " + epoch + " ballot " + ballot, true, readTimeout,
                        n -> n.promiseView(epoch, ballot));
            }

            @Override
            public Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
                return call(self, replica, "ACCEPT? " + view.text() + " ballot " + ballot, true, readTimeout,
                        n -> n.acceptView(ballot, view));
            }

            @Override
            public void learnView(int replica, View view) throws Exception {
                call(self, replica, "LEARN " + view.text(), true, readTimeout, n -> {
                    n.learnView(view);
                    return null;
                });
            }

            @Override
            public LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
                return call(self, replica, "LEASE? for " + holder, true, readTimeout, n -> n.grantLease(holder, holderView));
            }

            // Catch-up reads: duplicates only read again. A final sync repeated waits again and answers again.

            @Override
            public CatchUpStart catchUpStart(int replica, int asker) throws Exception {
                return call(self, replica, "CATCH-UP? from " + asker, true, readTimeout, n -> n.catchUpStart(asker));
            }

            @Override
            public List<StoredEntry> snapshotPage(int replica, String afterKey, int limit) throws Exception {
                return call(self, replica, "SNAPSHOT? after '" + afterKey + "'", true, readTimeout, n -> n.snapshotPage(afterKey, limit));
            }

            @Override
            public ChangesPage changesAfter(int replica, long afterSeq, int limit) throws Exception {
                return call(self, replica, "CHANGES? after " + afterSeq, true, readTimeout, n -> n.changesAfter(afterSeq, limit));
            }

            @Override
            public FinalSync finalSync(int replica, View view) throws Exception {
                return call(self, replica, "FINAL-SYNC? " + view.text(), true, readTimeout, n -> n.finalSync(view));
            }
        };
    }
}
