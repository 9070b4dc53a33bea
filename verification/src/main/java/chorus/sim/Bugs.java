package chorus.sim;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.protocol.Decided;
import chorus.server.protocol.DecisionAck;
import chorus.server.protocol.PeerChannel;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.StoredValue;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real bugs that the simulator must find, put back one at a time by wrappers around the protocol
 * (never by a switch in it): the proof that the simulator has teeth. Only tests use them.
 */
enum Bugs {
    NONE,
    /** A participant votes YES before its prepare is synced: a crash then forgets a YES already counted. */
    YES_BEFORE_SYNC,
    /** A coordinator counts a PREPARE that failed (timed out, unreachable) as a YES. */
    MISSING_VOTE_IS_YES,
    /** A read answers from the committed state without waiting for a transaction prepared on its key. */
    READ_IGNORES_PREPARED,
    /**
     * A coordinator leaves its own prepare unsynced, as before parallel commit, when its COMMIT
     * record was synced: now that the record is not, a power loss after the answer can take both.
     */
    OWN_PREPARE_UNSYNCED;

    /** The store replica processes get: with this bug, prepares are never synced. */
    boolean syncPrepares() {
        return this != YES_BEFORE_SYNC;
    }

    /** The store replica processes get: with this bug, a coordinator's own prepares are never synced. */
    boolean syncOwnPrepares() {
        return this != OWN_PREPARE_UNSYNCED;
    }

    /** The channel a replica's protocol gets. */
    PeerChannel channel(PeerChannel real) {
        return this == MISSING_VOTE_IS_YES ? new MissingVoteIsYes(real) : real;
    }

    /** How a client's GET is served at {@code node}. */
    ReadResult read(ReplicaNode node, ReplicaStore store, String key) throws Exception {
        if (this == READ_IGNORES_PREPARED) {
            StoredValue v = store.read(key);
            return new ReadResult(key, v.present(), v.value(), v.version(), node.address().id());
        }
        return node.get(key);
    }

    /** Remembers every YES; a PREPARE that fails is answered with the YES another replica gave. */
    private static final class MissingVoteIsYes implements PeerChannel {
        private final PeerChannel real;
        private final Map<TxId, Vote.Yes> seen = new HashMap<>();

        MissingVoteIsYes(PeerChannel real) {
            this.real = real;
        }

        private Vote remember(PrepareRequest r, Vote v) {
            if (v instanceof Vote.Yes y) {
                seen.put(r.txId(), y);
            }
            return v;
        }

        @Override
        public Vote prepare(int replica, PrepareRequest request) throws Exception {
            try {
                return remember(request, real.prepare(replica, request));
            } catch (Exception e) {
                Vote.Yes y = seen.get(request.txId());
                if (y == null) {
                    throw e;
                }
                return y;
            }
        }

        @Override
        public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
            try {
                List<Vote> votes = real.prepareAll(replica, requests);
                for (int i = 0; i < votes.size(); i++) {
                    remember(requests.get(i), votes.get(i));
                }
                return votes;
            } catch (Exception e) {
                List<Vote> out = new ArrayList<>();
                for (PrepareRequest r : requests) {
                    Vote.Yes y = seen.get(r.txId());
                    if (y == null) {
                        throw e;
                    }
                    out.add(y);
                }
                return out;
            }
        }

        @Override
        public Vote lock(int replica, PrepareRequest request) throws Exception {
            return real.lock(replica, request);
        }

        @Override
        public void decide(int replica, TxId txId, Decision decision) throws Exception {
            real.decide(replica, txId, decision);
        }

        @Override
        public DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
            return real.decideAll(replica, decisions);
        }

        @Override
        public DecisionAck durability(int replica) throws Exception {
            return real.durability(replica);
        }

        @Override
        public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
            return real.outcome(replica, txId, preparedAtMillis);
        }

        @Override
        public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
            return real.forward(replica, mutations, budget);
        }
    }
}
