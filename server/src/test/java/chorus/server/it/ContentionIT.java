package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.KeyValueService;
import chorus.api.TransactionAbortedException;
import chorus.api.model.ReadResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lock ordering at the primary plus bounded retries: writers fighting over one key neither deadlock nor fail. */
class ContentionIT {

    @Replicas(5)
    static LocalCluster cluster;

    @Test
    void eightWritersOnOneKeyFromDifferentReplicasMostlyCommitAndEndIdentical() throws Exception {
        int writers = 8;
        long runNanos = TimeUnit.SECONDS.toNanos(10);
        AtomicLong committed = new AtomicLong();
        AtomicLong aborted = new AtomicLong();
        Map<String, Long> abortReasons = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        long end = System.nanoTime() + runNanos;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            KeyValueService kv = cluster.connection(writer % 5 + 1).kv();
            futures.add(pool.submit(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    try {
                        kv.put("hot", "writer " + writer + " write " + n);
                        committed.incrementAndGet();
                    } catch (TransactionAbortedException e) {
                        aborted.incrementAndGet();
                        abortReasons.merge(e.abortCause() + ": " + e.reason().replaceAll("t\\d+\\.\\d+\\.\\d+", "t*"), 1L, Long::sum);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long total = committed.get() + aborted.get();
        System.out.printf("contention: %d writes, %d committed, %d aborted %s%n", total, committed.get(), aborted.get(), abortReasons);
        assertThat(total).isPositive();
        assertThat((double) committed.get() / total).as("committed share, aborts: %s", abortReasons).isGreaterThanOrEqualTo(0.99);

        ReadResult first = cluster.connection(1).kv().get("hot");
        // Every committed write bumped the version once, and nothing else did.
        assertThat(first.version()).isEqualTo(committed.get());
        for (int r = 2; r <= 5; r++) {
            ReadResult other = cluster.connection(r).kv().get("hot");
            assertThat(other.value()).isEqualTo(first.value());
            assertThat(other.version()).isEqualTo(first.version());
        }
    }
}
