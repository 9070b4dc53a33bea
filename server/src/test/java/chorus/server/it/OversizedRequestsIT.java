package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.KeyValueService;
import chorus.api.Limits;
import chorus.api.config.ConnectionLimits;
import chorus.api.model.EventType;
import chorus.api.rmi.RefusedConnectionException;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Calls far larger than a replica allows are refused while they are read, not after: eight at once
 * used to leave the replica out of heap.
 */
class OversizedRequestsIT {

    @Replicas(3)
    static LocalCluster cluster;

    @Test
    void eightConcurrentSixtyMegabytePutsAreRefusedAndTheReplicaStaysWell() throws Exception {
        // The registry's stub sends what it is given: no client-side check of Limits on the way.
        KeyValueService kv = cluster.connection(1).kv();
        // 60 MB of UTF-8 (and of modified UTF-8 on the wire), 60 MB as a Java string too.
        String huge = "\u00e9".repeat(30_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        List<Throwable> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String key = "huge-" + i;
                calls.add(pool.submit(() -> kv.put(key, huge)));
            }
            for (Future<?> call : calls) {
                try {
                    call.get(120, TimeUnit.SECONDS);
                    outcomes.add(null);
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readString(cluster.logFile(1), StandardCharsets.UTF_8)).doesNotContain("OutOfMemoryError");
        // Refused by the transport while being read, not read whole and then checked; each caller learns why.
        assertThat(outcomes).allSatisfy(e -> assertThat(e).isInstanceOf(RemoteException.class)
                .rootCause().isInstanceOf(RefusedConnectionException.class).hasMessageContaining("refused a client call"));
        // Still serving, and nothing of the refused calls was written anywhere.
        // Perhaps the cluster's first write (the tests share it): it may miss a vote on a cold, loaded machine.
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "after-huge", "fine");
        assertThat(cluster.connection(1).kv().get("after-huge").version()).isEqualTo(1);
        for (int r = 1; r <= 3; r++) {
            assertThat(cluster.connection(r).kv().get("after-huge").value()).isEqualTo("fine");
            for (int i = 0; i < 8; i++) {
                assertThat(cluster.connection(r).kv().get("huge-" + i).found()).isFalse();
            }
        }
        // The operator sees what was refused and why: eight calls at once meet the budget first.
        assertThat(cluster.events(1)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.REFUSED);
            assertThat(e.reason()).containsAnyOf("the limit for one call is " + Limits.MAX_REQUEST_BYTES + " bytes",
                    "would hold more than " + ConnectionLimits.DEFAULTS.requestBudgetBytes() + " bytes (limits.request-budget.bytes)");
        });
    }

    @Test
    void aCallOverTheLimitForOneCallIsStoppedThere() throws Exception {
        KeyValueService kv = cluster.connection(2).kv();
        String over = "y".repeat(Limits.MAX_REQUEST_BYTES + 1000);
        // The connection is dropped while the call is read; the caller learns why.
        assertThatThrownBy(() -> kv.put("over", over))
                .isInstanceOf(RemoteException.class)
                .rootCause().hasMessage("replica 2 at " + cluster.address(2).hostPort() + " refused a client call of more than "
                        + Limits.MAX_REQUEST_BYTES + " bytes; the limit for one call is " + Limits.MAX_REQUEST_BYTES + " bytes");
        assertThat(cluster.events(2)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.REFUSED);
            assertThat(e.reason()).isEqualTo("refused a client call of more than " + Limits.MAX_REQUEST_BYTES
                    + " bytes; the limit for one call is " + Limits.MAX_REQUEST_BYTES + " bytes");
        });
        assertThat(kv.get("over").found()).isFalse();
        UnavailableReplicaIT.putWhileWarmingUp(kv, "under", "fine");
        assertThat(kv.get("under").version()).isEqualTo(1);
    }
}
