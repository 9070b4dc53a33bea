package chorus.api.model;

/** Which side of the protocol recorded an event. */
public enum Role {
    COORDINATOR,
    PARTICIPANT,
    OPERATOR
}
