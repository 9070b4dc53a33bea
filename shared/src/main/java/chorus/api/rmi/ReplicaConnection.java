package chorus.api.rmi;

import chorus.api.KeyValueService;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ReplicaAddress;

/** The remote services of one replica, looked up together. */
public record ReplicaConnection(ReplicaAddress address, KeyValueService kv, ReplicaAdmin admin) {
}
