package chorus.server.protocol;

/**
 * The version of the replica-to-replica protocol. A participant refuses (votes NO to) a request of
 * another version rather than guess at its meaning.
 */
public final class ProtocolVersion {
    public static final int CURRENT = 1;

    private ProtocolVersion() {
    }
}
