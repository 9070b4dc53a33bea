package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.SmallTmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica 5 keeps its data on a small tmpfs that the test fills: it must vote NO naming the full
 * disk, say so in its status and event log, and write again by itself, without a restart, once
 * space is free, with every acknowledged write on every replica.
 */
class FullDiskIT {

    private static final Logger LOG = LoggerFactory.getLogger(FullDiskIT.class);
    private static final int FULL = 5;
    /** Room for RocksDB's files (its log and manifest are preallocated) and a few writes, no more. */
    private static final int TMPFS_MEGABYTES = 48;
    private static final String VALUE = "v".repeat(64 * 1024);

    private static Path dir;
    private static SmallTmpfs disk;
    private static LocalCluster cluster;

    @BeforeAll
    static void startWithReplica5OnASmallTmpfs() throws IOException {
        dir = Files.createTempDirectory("chorus-FullDiskIT-");
        cluster = LocalCluster.create(5, dir, LocalCluster.TEST_TIMEOUTS);
        disk = SmallTmpfs.mount(cluster.dataDir(FULL), TMPFS_MEGABYTES);
        for (int id = 1; id <= 5; id++) {
            cluster.launch(id, Map.of());
        }
        for (int id = 1; id <= 5; id++) {
            cluster.awaitUp(id);
        }
    }

    @AfterAll
    static void stopAndUnmount() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            try {
                if (disk != null) {
                    disk.close();
                }
            } finally {
                // Only once unmounted: the replicas' data, 40 MB of large values, goes too.
                if (dir != null) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aReplicaWhoseDiskFillsUpVotesNoThenWritesAgainByItselfOnceSpaceIsFree() throws Exception {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 5; i++) {
            cluster.connection(1).kv().put("before-" + i, "small-" + i);
            acknowledged.put("before-" + i, "small-" + i);
        }

        disk.fill();
        // Writers through replicas 2 to 5, so that replica 5 both prepares (synced writes) and
        // applies decisions lazily (unsynced writes, synced later), as under real load; RocksDB's
        // preallocated log still takes a few writes, and medium values use it up quickly.
        String refusal = fillUntilRefused(acknowledged, unknown);
        assertThat(refusal).as("a write refused once replica %d's disk is full", FULL).isNotNull();
        assertThat(refusal).contains("replica " + FULL).contains("disk full").contains("No space left on device");
        assertThat(cluster.status(FULL).storageProblem()).startsWith("disk full").contains("No space left on device");
        assertThat(cluster.events(FULL)).filteredOn(e -> e.type() == EventType.DISK_FULL).isNotEmpty()
                .allSatisfy(e -> assertThat(e.reason()).startsWith("disk full").contains("No space left on device"));

        disk.free();
        long freedAt = System.nanoTime();
        await("writes commit again without a restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(TransactionAbortedException.class)
                .until(() -> cluster.connection(1).kv().put("after-disk-full", "written").version() > 0);
        LOG.info("writes committed again {} ms after the space was freed", (System.nanoTime() - freedAt) / 1_000_000);
        acknowledged.put("after-disk-full", "written");
        cluster.connection(FULL).kv().put("through-the-full-one", "written");
        acknowledged.put("through-the-full-one", "written");
        assertThat(cluster.status(FULL).storageProblem()).isEmpty();
        assertThat(cluster.events(FULL)).extracting(ProtocolEvent::type).containsSubsequence(EventType.DISK_FULL, EventType.DISK_WRITABLE);

        assertAllOnEveryReplica(acknowledged);
        assertSettledAlikeEverywhere(unknown);
        assertThat(cluster.isRunning(FULL)).as("replica %d was never restarted", FULL).isTrue();
        assertThat(cluster.events(FULL)).filteredOn(e -> e.type() == EventType.IN_DOUBT)
                .allSatisfy(e -> assertThat(e.reason()).as("a local failure blamed on a peer").doesNotContain("RocksDBException"));

        // What the recovery left in the database's log must also survive a crash of the replica.
        cluster.kill(FULL);
        cluster.start(FULL);
        assertAllOnEveryReplica(acknowledged);
        assertSettledAlikeEverywhere(unknown);
    }

    /**
     * The writes whose outcome their client could not be told (replica 5 coordinated them, every
     * prepare was durable, and its disk refused both its COMMIT record and its abort): each ends the
     * same on every replica, committed or not.
     */
    private static void assertSettledAlikeEverywhere(Set<String> unknown) {
        LOG.info("{} writes with an unknown outcome: {}", unknown.size(), unknown);
        await("writes of unknown outcome settled alike everywhere").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
                    for (String key : unknown) {
                        String first = cluster.connection(1).kv().get(key).value();
                        assertThat(first).as("%s at replica 1", key).isIn(VALUE, null);
                        for (int r = 2; r <= 5; r++) {
                            assertThat(cluster.connection(r).kv().get(key).value()).as("%s at replica %d", key, r).isEqualTo(first);
                        }
                    }
                });
    }

    private static void assertAllOnEveryReplica(Map<String, String> acknowledged) {
        await("every acknowledged write on every replica").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> {
                    for (int r = 1; r <= 5; r++) {
                        for (Map.Entry<String, String> w : acknowledged.entrySet()) {
                            assertThat(cluster.connection(r).kv().get(w.getKey()).value())
                                    .as("%s at replica %d", w.getKey(), r).isEqualTo(w.getValue());
                        }
                    }
                });
    }

    /**
     * Four writers, through replicas 2 to 5, put values until replica 5 refuses one; returns
     * the first refusal, every write acknowledged meanwhile added to {@code acknowledged}, and every
     * write whose outcome was unknown (its coordinator, replica 5, could make neither its COMMIT
     * record nor its abort durable) to {@code unknown}: an honest answer, not a refusal.
     */
    private static String fillUntilRefused(Map<String, String> acknowledged, Set<String> unknown) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        AtomicReference<String> refusal = new AtomicReference<>();
        Map<String, String> acked = new ConcurrentHashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int through = w + 2;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 200 && refusal.get() == null; i++) {
                        String key = "fill-" + through + "-" + i;
                        try {
                            cluster.connection(through).kv().put(key, VALUE);
                            acked.put(key, VALUE);
                        } catch (TransactionAbortedException e) {
                            if (e.getMessage().contains("replica " + FULL)) {
                                refusal.compareAndSet(null, e.getMessage());
                            }
                        } catch (OutcomeUnknownException e) {
                            assertThat(e.getMessage()).contains("coordinator " + FULL).contains("No space left on device");
                            unknown.add(key);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        acknowledged.putAll(acked);
        return refusal.get();
    }
}
