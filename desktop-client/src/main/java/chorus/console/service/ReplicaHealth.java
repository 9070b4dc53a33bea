package chorus.console.service;

/** How the console last found a replica. */
public enum ReplicaHealth {
    /** Not asked yet. */
    UNKNOWN,
    /** Answered the last status call. */
    UP,
    /** Did not answer (refused, timed out or reset); the console keeps trying to reconnect. */
    UNREACHABLE
}
