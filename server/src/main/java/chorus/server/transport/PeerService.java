package chorus.server.transport;

import chorus.api.ChorusException;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.protocol.CatchUpStart;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.FinalSync;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.DecisionAck;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import chorus.server.protocol.Wire;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.util.List;

/**
 * Replica-to-replica calls of two-phase commit. Bound in no registry: a replica hands its stub
 * only to callers that proved the cluster secret at its {@link PeerDoor}.
 */
public interface PeerService extends Remote {

    Vote lock(PrepareRequest request) throws RemoteException;

    Vote prepare(PrepareRequest request) throws RemoteException;

    /** Prepares every request concurrently (their synced writes share one group commit); the votes in order. */
    Wire.VoteBatch prepareAll(Wire.PrepareBatch requests) throws RemoteException;

    void decide(TxId txId, Decision decision) throws RemoteException;

    /** Applies every decision; the answer says how far this replica has synced (see {@link DecisionAck}). */
    DecisionAck decideAll(Wire.DecisionBatch decisions) throws RemoteException;

    /**
     * Applies the decisions, then prepares the requests concurrently; how far this replica has
     * synced and the votes in order (see {@code PeerChannel#exchange}).
     */
    Wire.ExchangeReply exchange(Wire.Exchange exchange) throws RemoteException;

    /** Syncs everything applied so far and says how far this replica has synced. */
    DecisionAck durability() throws RemoteException;

    TxOutcome outcome(TxId txId, long preparedAtMillis) throws RemoteException;

    /**
     * Client writes (one, or a group of them with distinct keys), forwarded by the replica that
     * received them, for this replica to coordinate ({@code coordination = leader}); refused at
     * once while this replica is in simulated failure, as a crashed leader's refused connection
     * would be.
     */
    WriteResult forward(Wire.Mutations mutations) throws ChorusException, RemoteException;

    /** Phase one of the agreement of {@code epoch}'s view (see {@code ViewAcceptor#promise}). */
    Promise promiseView(long epoch, Ballot ballot) throws RemoteException;

    /** Phase two (see {@code ViewAcceptor#accept}). */
    Acceptance acceptView(Ballot ballot, View view) throws RemoteException;

    /** {@code view} is agreed: kept if newer. */
    void learnView(View view) throws RemoteException;

    /** A read lease for {@code holder} (see {@code ViewAcceptor#grantLease}). */
    LeaseAnswer grantLease(int holder, View holderView) throws RemoteException;

    /** A learner starts copying from this replica (see {@code CatchUpStart}). */
    CatchUpStart catchUpStart(int asker) throws RemoteException;

    /** A page of this replica's keys after {@code afterKey}, tombstones included. */
    List<StoredEntry> snapshotPage(String afterKey, int limit) throws ChorusException, RemoteException;

    /** A page of this replica's change log after {@code afterSeq}. */
    ChangesPage changesAfter(long afterSeq, int limit) throws ChorusException, RemoteException;

    /** A readmitted replica's final sync (see {@code FinalSync}). */
    FinalSync finalSync(View view) throws RemoteException;
}
