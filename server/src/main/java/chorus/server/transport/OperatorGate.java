package chorus.server.transport;

import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the operator's admin stub to callers that present the operator token. The token is
 * compared in constant time and never logged; without a configured token everyone is an operator.
 */
final class OperatorGate {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorGate.class);

    private final int replica;
    private final byte[] token;
    private volatile ReplicaAdmin plain;
    private volatile ReplicaAdmin operator;

    OperatorGate(int replica, Optional<String> token) {
        this.replica = replica;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    void stubs(ReplicaAdmin plain, ReplicaAdmin operator) {
        this.plain = plain;
        this.operator = operator;
    }

    boolean tokenRequired() {
        return token != null;
    }

    ReplicaAdmin admit(String presented) throws NotPermittedException {
        if (token == null) {
            return plain;
        }
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return operator;
        }
        LOG.warn("an admin caller presented a wrong operator token");
        throw new NotPermittedException("replica " + replica + " refused the operator token");
    }
}
