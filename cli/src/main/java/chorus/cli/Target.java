package chorus.cli;

import chorus.api.config.ReplicaAddress;
import java.util.OptionalInt;

/**
 * The replica a command talks to: a replica of the cluster file, or a bare {@code host:port}
 * given with {@code --connect} whose id is not known before it answers.
 *
 * @param id      the replica id, empty for a bare address
 * @param address where to connect (for a bare address the id inside is a placeholder)
 */
public record Target(OptionalInt id, ReplicaAddress address) {

    public static Target of(ReplicaAddress address) {
        return new Target(OptionalInt.of(address.id()), address);
    }

    /** Parses {@code host:port} for {@code --connect}. */
    public static Target parse(String hostPort) throws CliException {
        try {
            return new Target(OptionalInt.empty(), ReplicaAddress.parse(1, hostPort));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--connect " + e.getMessage());
        }
    }

    /** How messages name this replica: {@code replica 2 (127.0.0.1:7102)} or {@code 127.0.0.1:7102}. */
    public String label() {
        return id.isPresent() ? "replica " + id.getAsInt() + " (" + address.hostPort() + ")" : address.hostPort();
    }
}
