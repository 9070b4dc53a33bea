package chorus.server.protocol;

/**
 * The version of the replica-to-replica protocol. A participant refuses (votes NO to) a request of
 * another version rather than guess at its meaning.
 * Version 2: every PREPARE and LOCK carries the membership view of its transaction's epoch.
 */
public final class ProtocolVersion {
    public static final int CURRENT = 2;

    private ProtocolVersion() {
    }
}
