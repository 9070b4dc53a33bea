package chorus.api.model;

/** The coordinator's decision on a transaction; once durable it never changes. */
public enum Decision {
    COMMIT,
    ABORT
}
