package chorus.api;

import chorus.api.config.ClusterConfig;
import chorus.api.model.ContentsPage;
import chorus.api.model.Decision;
import chorus.api.model.EventBatch;
import chorus.api.model.FaultSpec;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import chorus.api.model.ReplicaDiagnostics;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.TxId;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.util.List;

/** Operator calls on one replica: what it holds, what it did, and the levers for failure drills. */
public interface ReplicaAdmin extends Remote {

    String NAME = "chorus.admin";

    /** The largest page {@link #contents} and {@link #events} return. */
    int MAX_PAGE = 10_000;

    ReplicaStatus status() throws RemoteException;

    /** The cluster as this replica knows it, so that a client can reach every replica from one. */
    ClusterConfig membership() throws RemoteException;

    /**
     * Committed contents in key order, starting after {@code afterKey} (empty string: from the
     * first key), at most {@code limit} entries (1 to {@link #MAX_PAGE}).
     */
    ContentsPage contents(String afterKey, int limit) throws InvalidRequestException, RemoteException;

    /**
     * Protocol events with a sequence number greater than {@code afterSeq}, oldest first, at most
     * {@code max} (1 to {@link #MAX_PAGE}). Pass the returned cursor back to tail the log.
     */
    EventBatch events(long afterSeq, int max) throws InvalidRequestException, RemoteException;

    /** Transactions this replica holds prepared while it does not know their outcome. */
    List<InDoubtTransaction> inDoubt() throws RemoteException;

    /**
     * Operator's heuristic decision for a transaction in doubt here: applies it locally, releases
     * its locks and records it as a heuristic decision in the event log.
     */
    void forceDecision(TxId txId, Decision decision, String operatorNote)
            throws NotPermittedException, RemoteException;

    /**
     * While on, the replica answers every client and peer call as a crashed replica would; admin
     * calls still work so that it can be switched back.
     */
    void setSimulatedFailure(boolean failed) throws NotPermittedException, RemoteException;

    /**
     * The admin interface with the rights of an operator. Where the cluster file sets an operator
     * token, the calls that change state (failure switch, forced decisions, fault points) are
     * refused except through the stub this returns for the right token; where it sets none, this
     * returns an equivalent stub.
     */
    ReplicaAdmin withToken(String token) throws NotPermittedException, RemoteException;

    /**
     * Arms a fault for a failure drill: a crash or hang at a named protocol step, or dropped or
     * delayed messages to or from a peer. Refused unless the replica was started with
     * {@code --allow-faults} (and, where the cluster sets an operator token, except through
     * {@link #withToken}); recorded as an event and a WARN line when accepted.
     */
    void injectFault(FaultSpec fault) throws NotPermittedException, InvalidRequestException, RemoteException;

    /** Disarms every injected fault and releases every thread hung at a fault point. */
    void clearFaults() throws NotPermittedException, RemoteException;

    /** Locks, transactions and undelivered decisions held here, and the faults armed. */
    ReplicaDiagnostics diagnostics() throws RemoteException;

    /** The membership view this replica knows agreed, whether it is a member, and its read lease. */
    MembershipStatus members() throws RemoteException;

    /**
     * Has a majority of the configured replicas agree a view without {@code replica}, once its read
     * lease has run out (a few seconds); writes then commit without it, and it serves nothing until
     * readmitted. Returns the agreed view (unchanged if {@code replica} was excluded already).
     * Refused for a replica that is not configured, or if the view would keep fewer than a majority
     * of the configured replicas; operator token applies.
     *
     * @throws ViewChangeException no majority agreed in time; the message names who refused and why
     */
    View exclude(int replica) throws NotPermittedException, InvalidRequestException, ViewChangeException, RemoteException;

    /**
     * Readmits this replica, which must be {@code replica}: an excluded replica copies the data from
     * a member in the background as soon as it runs (a learner); this waits until it has caught up,
     * then has a majority agree a view with it. Returns the agreed view (unchanged if it is a member
     * already). Refused when asked of another replica (readmission is asked of the replica itself,
     * which must be running); operator token applies.
     *
     * @throws ViewChangeException not caught up or not agreed in time; the message says how far it got
     */
    View readmit(int replica) throws NotPermittedException, InvalidRequestException, ViewChangeException, RemoteException;
}
