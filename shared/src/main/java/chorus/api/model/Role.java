package chorus.api.model;

/** Which side of the protocol recorded an event. */
public enum Role {
    COORDINATOR,
    PARTICIPANT,
    /**
     * A replica that passes its clients' writes to the replica coordinating every write (leader
     * coordination), and records what became of them: FORWARDED, or TIMED_OUT / UNREACHABLE.
     */
    FORWARDER,
    OPERATOR,
    /** The agreement of membership views (who proposed, who agreed) and the read leases. */
    MEMBERSHIP,
    /** The replica's listeners: connections and calls refused, or idle connections closed, by its limits. */
    TRANSPORT
}
