package chorus.api.config;

import chorus.api.Limits;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a replica lets its callers hold: connections, idle time and the bytes of calls it is still
 * reading. Each of a replica's two listeners (clients, peers) has its own connections and budget,
 * so a flood on the client port never takes what peers need.
 *
 * @param maxConnections      client connections (registry, client and admin services) open at once; the
 *                            next one is refused at once with "too many connections"
 * @param maxPeerConnections  connections to the peer service open at once
 * @param idleTimeout         a connection that waits this long for its next call (or for the rest of
 *                            one) is closed; a call being executed is never cut off
 * @param requestBudgetBytes  bytes of calls being read at once per listener; a call that would go
 *                            over is refused, so that many concurrent large calls cannot fill the heap.
 *                            One client call is bounded by {@link Limits#MAX_REQUEST_BYTES} besides.
 */
public record ConnectionLimits(int maxConnections, int maxPeerConnections, Duration idleTimeout, long requestBudgetBytes)
        implements Serializable {

    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(256, 64, Duration.ofSeconds(30), 48L * 1024 * 1024);

    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new ConfigException("limits.max-connections = " + maxConnections + " must be at least 1");
        }
        if (maxPeerConnections < 1) {
            throw new ConfigException("limits.max-peer-connections = " + maxPeerConnections + " must be at least 1");
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 1000) {
            // Callers skip RMI's liveness ping on a connection that answered within 200 ms
            // (WarmConnectionSocket): a server closing connections idle for far longer never races them.
            throw new ConfigException("limits.idle-timeout.ms = " + (idleTimeout == null ? "none" : idleTimeout.toMillis())
                    + " must be at least 1000");
        }
        if (requestBudgetBytes < Limits.MAX_REQUEST_BYTES) {
            throw new ConfigException("limits.request-budget.bytes = " + requestBudgetBytes + " must hold one call of the largest "
                    + "size a client may send, " + Limits.MAX_REQUEST_BYTES + " bytes");
        }
    }

    public ConnectionLimits withMaxConnections(int n) {
        return new ConnectionLimits(n, maxPeerConnections, idleTimeout, requestBudgetBytes);
    }

    public ConnectionLimits withIdleTimeout(Duration d) {
        return new ConnectionLimits(maxConnections, maxPeerConnections, d, requestBudgetBytes);
    }
}
