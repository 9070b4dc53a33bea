package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * Replicas of one JVM talking without RMI, with the switches a failure test needs: a replica can be
 * down (calls fail at once, like a refused connection), hung (calls block until it is released, like
 * a paused process), or deaf to decisions only (phase two is lost on the way).
 */
final class InMemoryNetwork {

    private final IntFunction<ReplicaNode> nodes;
    private final Set<Integer> down = ConcurrentHashMap.newKeySet();
    private final Set<Integer> decisionsLost = ConcurrentHashMap.newKeySet();
    private final Map<Integer, CountDownLatch> hung = new ConcurrentHashMap<>();

    InMemoryNetwork(IntFunction<ReplicaNode> nodes) {
        this.nodes = nodes;
    }

    void down(int id) {
        down.add(id);
    }

    void up(int id) {
        down.remove(id);
    }

    void hang(int id) {
        hung.putIfAbsent(id, new CountDownLatch(1));
    }

    void release(int id) {
        CountDownLatch l = hung.remove(id);
        if (l != null) {
            l.countDown();
        }
    }

    void loseDecisions(int id) {
        decisionsLost.add(id);
    }

    void deliverDecisions(int id) {
        decisionsLost.remove(id);
    }

    void releaseAll() {
        hung.keySet().forEach(this::release);
    }

    /** The channel as seen from replica {@code from}: calls to itself are never cut. */
    PeerChannel channelFor(int from) {
        return new PeerChannel() {
            @Override
            public Vote lock(int replica, PrepareRequest request) throws Exception {
                return reach(from, replica).lock(request);
            }

            @Override
            public Vote prepare(int replica, PrepareRequest request) throws Exception {
                return reach(from, replica).prepare(request);
            }

            @Override
            public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
                return reach(from, replica).prepareAll(requests);
            }

            @Override
            public void decide(int replica, TxId txId, Decision decision) throws Exception {
                if (replica != from && decisionsLost.contains(replica)) {
                    throw new ConnectException("decision to replica " + replica + " lost");
                }
                reach(from, replica).decide(txId, decision);
            }

            @Override
            public DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
                if (replica != from && decisionsLost.contains(replica)) {
                    throw new ConnectException("decisions to replica " + replica + " lost");
                }
                return reach(from, replica).decideAll(decisions);
            }

            @Override
            public DecisionAck durability(int replica) throws Exception {
                return reach(from, replica).durability();
            }

            @Override
            public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
                return reach(from, replica).outcome(txId, preparedAtMillis);
            }

            @Override
            public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
                return reach(from, replica).coordinateForwarded(mutations);
            }

            @Override
            public Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
                return reach(from, replica).promiseView(epoch, ballot);
            }

            @Override
            public Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
                return reach(from, replica).acceptView(ballot, view);
            }

            @Override
            public void learnView(int replica, View view) throws Exception {
                reach(from, replica).learnView(view);
            }

            @Override
            public LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
                return reach(from, replica).grantLease(holder, holderView);
            }

            @Override
            public CatchUpStart catchUpStart(int replica, int asker) throws Exception {
                return reach(from, replica).catchUpStart(asker);
            }

            @Override
            public List<StoredEntry> snapshotPage(int replica, String afterKey, int limit) throws Exception {
                return reach(from, replica).snapshotPage(afterKey, limit);
            }

            @Override
            public ChangesPage changesAfter(int replica, long afterSeq, int limit) throws Exception {
                return reach(from, replica).changesAfter(afterSeq, limit);
            }

            @Override
            public FinalSync finalSync(int replica, View view) throws Exception {
                return reach(from, replica).finalSync(view);
            }
        };
    }

    private ReplicaNode reach(int from, int to) throws Exception {
        if (to != from) {
            if (down.contains(to) || down.contains(from)) {
                throw new ConnectException("replica " + (down.contains(to) ? to : from) + " is down");
            }
            CountDownLatch l = hung.get(to);
            if (l != null) {
                l.await();
                throw new ConnectException("replica " + to + " was hung");
            }
        }
        ReplicaNode node = nodes.apply(to);
        if (node == null) {
            throw new ConnectException("replica " + to + " is not running");
        }
        return node;
    }
}
