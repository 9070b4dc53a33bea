package chorus.api.model;

/**
 * A step of the protocol as one replica recorded it. The first eight are the transaction states an
 * operator follows; the rest are steps of the coordinator and of the operator.
 */
public enum EventType {
    /** Coordinator: a client's write became a transaction and PREPARE went out. */
    STARTED,
    /** Participant: locked the keys and durably recorded the prepare, voted YES. Coordinator: got YES. */
    PREPARED,
    /** Participant voted NO (conflict, version mismatch...); the coordinator records the NO it got. */
    VOTED_NO,
    /** Decided COMMIT (coordinator) or applied the commit (participant). */
    COMMITTED,
    /** Decided ABORT (coordinator) or released the transaction (participant). */
    ABORTED,
    /** A wait ran out: a vote, an acknowledgement, or a participant's wait for the decision. */
    TIMED_OUT,
    /** Nobody reachable knows the outcome: the participant keeps the locks until someone does. */
    IN_DOUBT,
    /** A participant that was waiting or in doubt learned the outcome. */
    RESOLVED,
    /** Coordinator: a replica could not be reached at all (connection refused or broken). */
    UNREACHABLE,
    /** Coordinator: a participant acknowledged the decision. */
    ACKNOWLEDGED,
    /** Coordinator: a transaction aborted by a conflict is tried again with a new id. */
    RETRIED,
    /**
     * Forwarder (leader coordination): this replica passed a group of its clients' writes to the
     * replica that coordinates every write, which ran them as this transaction.
     */
    FORWARDED,
    /** An operator forced the outcome of a transaction in doubt. */
    HEURISTIC_DECISION,
    /** The simulated-failure switch was turned on. */
    FAILURE_ON,
    /** The simulated-failure switch was turned off. */
    FAILURE_OFF,
    /** The replica started and finished recovery. */
    RECOVERED,
    /** An operator armed a fault (replicas started with --allow-faults only). */
    FAULT_INJECTED,
    /** The replica reached an armed fault point and is crashing or hanging there. */
    FAULT_HIT,
    /** An operator cleared every injected fault. */
    FAULTS_CLEARED,
    /**
     * A caller was refused before it could change anything: a peer call without proof of the
     * cluster secret, or a replica that could not prove it in return.
     */
    ACCESS_REFUSED,
    /**
     * A listener refused connections (too many) or calls (too large, or over the request budget),
     * or closed idle connections; counted, at most one event a second per reason.
     */
    REFUSED,
    /**
     * Writes to the replica's data directory began to fail; the reason starts with "disk full" when
     * the file system has no space left, and gives the storage engine's words. The replica votes NO
     * until {@link #DISK_WRITABLE}.
     */
    DISK_FULL,
    /** The replica's data directory takes writes again, found by its own probe; no restart needed. */
    DISK_WRITABLE,
    /**
     * Coordinator: the client was answered, at the commit point (every YES in, the COMMIT record
     * synced and applied here), before the other replicas' acknowledgements.
     */
    ANSWERED,
    /** Coordinator: every replica acknowledged the decision; the elapsed time counts from the decision. */
    ALL_ACKNOWLEDGED,
    /**
     * Membership: a new view (epoch and members) was agreed by a majority; recorded by its proposer
     * (with who agreed) and by every replica that learns it.
     */
    VIEW_CHANGED,
    /** Membership: a proposed view change was not agreed (no majority, or a lease still runs) within its time. */
    VIEW_CHANGE_FAILED,
    /** Membership: this replica lost its read lease (it reads nothing until it has one again), or got it back. */
    LEASE;

    /** True for the states a transaction can be in on one replica, as a console shows them. */
    public boolean isTransactionState() {
        return ordinal() <= RESOLVED.ordinal();
    }
}
