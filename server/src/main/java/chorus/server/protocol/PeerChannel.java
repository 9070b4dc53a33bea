package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.MembershipChannel;
import chorus.server.membership.Promise;
import java.time.Duration;
import java.util.List;

/**
 * How the protocol reaches other replicas (and itself). Every call is bounded by the transport's own
 * timeouts; the coordinator applies its vote and acknowledgement timeouts on top. RMI implements it
 * between processes; unit tests implement it in memory with switches to block or delay a replica.
 */
public interface PeerChannel extends MembershipChannel {

    /**
     * Takes the transaction's locks at {@code replica}, the lock primary, before any PREPARE: the
     * order that keeps conflicting transactions from deadlocking across replicas. Nothing is made
     * durable; the locks lapse if no PREPARE follows within the lock lease.
     */
    Vote lock(int replica, PrepareRequest request) throws Exception;

    Vote prepare(int replica, PrepareRequest request) throws Exception;

    /**
     * Several PREPAREs for {@code replica} in one message, prepared there concurrently; returns their
     * votes in order once all are known. A failure fails them all. By default, one after the other.
     */
    default List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
        List<Vote> votes = new java.util.ArrayList<>(requests.size());
        for (PrepareRequest r : requests) {
            votes.add(prepare(replica, r));
        }
        return votes;
    }

    void decide(int replica, TxId txId, Decision decision) throws Exception;

    /**
     * Several decisions for {@code replica} in one message; it returns once all are applied there,
     * saying how far that replica has synced. A failure says nothing about which were applied: the
     * sender re-sends them all (a decision is idempotent). By default, one {@link #decide} after the
     * other, each durable.
     */
    default DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
        for (Decided d : decisions) {
            decide(replica, d.txId(), d.decision());
        }
        return DecisionAck.DURABLE;
    }

    /**
     * Decisions and PREPAREs for {@code replica} in one message: it applies the decisions first (so
     * that a PREPARE behind its predecessor's COMMIT finds the key free), then prepares the requests
     * concurrently, and answers with how far it has synced and every vote. A failure fails it all: the
     * decisions are re-sent (idempotent), the votes count as missing. By default, one message of each.
     */
    default Exchanged exchange(int replica, List<Decided> decisions, List<PrepareRequest> prepares) throws Exception {
        DecisionAck ack = decisions.isEmpty() ? DecisionAck.DURABLE : decideAll(replica, decisions);
        return new Exchanged(ack, prepares.isEmpty() ? List.of() : prepareAll(replica, prepares));
    }

    /** Has {@code replica} sync everything it applied so far, and says how far it has synced. */
    default DecisionAck durability(int replica) throws Exception {
        return DecisionAck.DURABLE;
    }

    /**
     * Asks {@code replica} what it knows of {@code txId}. {@code preparedAtMillis} tells a peer how old
     * the question is, so that it does not presume from forgotten history.
     */
    TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception;

    /**
     * Has {@code replica} coordinate client writes (see {@link chorus.api.config.Coordination#LEADER})
     * and returns its result; the coordinator's refusals arrive as the {@link chorus.api.ChorusException}s
     * they are. The answer is waited for at most {@code budget} (less than the transport's own read
     * timeout): a timeout then, as at the read timeout.
     */
    WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception;

    // Membership messages: a channel of a test that runs no view agreement may leave them out.

    @Override
    default Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
        throw new UnsupportedOperationException("this channel carries no membership messages");
    }

    @Override
    default Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
        throw new UnsupportedOperationException("this channel carries no membership messages");
    }

    @Override
    default void learnView(int replica, View view) throws Exception {
        throw new UnsupportedOperationException("this channel carries no membership messages");
    }

    @Override
    default LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
        throw new UnsupportedOperationException("this channel carries no membership messages");
    }

    // Catch-up: a learner copies the data from a member (see Learner).

    /** Where {@code replica}'s change log stands, for {@code asker} that starts copying from it. */
    default CatchUpStart catchUpStart(int replica, int asker) throws Exception {
        throw new UnsupportedOperationException("this channel carries no catch-up messages");
    }

    /** A page of {@code replica}'s keys after {@code afterKey}, tombstones included. */
    default List<StoredEntry> snapshotPage(int replica, String afterKey, int limit) throws Exception {
        throw new UnsupportedOperationException("this channel carries no catch-up messages");
    }

    /** A page of {@code replica}'s change log after {@code afterSeq}. */
    default ChangesPage changesAfter(int replica, long afterSeq, int limit) throws Exception {
        throw new UnsupportedOperationException("this channel carries no catch-up messages");
    }

    /** Teaches {@code replica} {@code view} and waits until the transactions of earlier epochs there are settled or in doubt. */
    default FinalSync finalSync(int replica, View view) throws Exception {
        throw new UnsupportedOperationException("this channel carries no catch-up messages");
    }
}
