package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.ReplicaStatus;
import java.util.Optional;

/** What asking one replica for its status gave: its status, or why it did not answer. */
public record ReplicaProbe(ReplicaAddress address, Optional<ReplicaStatus> status, Optional<String> error) {

    public static ReplicaProbe up(ReplicaAddress address, ReplicaStatus status) {
        return new ReplicaProbe(address, Optional.of(status), Optional.empty());
    }

    public static ReplicaProbe down(ReplicaAddress address, String error) {
        return new ReplicaProbe(address, Optional.empty(), Optional.of(error));
    }

    public boolean isUp() {
        return status.isPresent();
    }
}
