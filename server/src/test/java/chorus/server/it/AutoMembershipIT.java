package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.ChorusException;
import chorus.api.KeyValueService;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.api.config.Timeouts;
import chorus.api.model.EventType;
import chorus.api.model.KeyEntry;
import chorus.api.model.View;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.RepoRoot;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic membership on five replica JVMs with the shipped settings (conf/cluster.properties): a
 * replica killed with -9 is excluded by the others and writes go on without it; restarted, it
 * catches up and readmits itself. The failure switch counts as down the same way. Writes run all
 * along, and every acknowledged one is on every replica at the end.
 */
// Serial: it reads exact epochs and times the exclusion with the shipped 3 s settings; a second
// cluster starting beside it on two cores can starve a replica long enough for a false exclusion.
@org.junit.jupiter.api.Tag("serial")
class AutoMembershipIT {

    @TempDir
    Path dir;

    @Test
    void aKilledOrSwitchedOffReplicaIsExcludedByTheOthersAndRejoinsByItselfWithNothingLost() throws Exception {
        ClusterConfig shipped = ClusterConfig.load(RepoRoot.find().resolve("conf").resolve("cluster.properties"));
        assertThat(shipped.membership().autoExcludeAfter()).as("the shipped file turns automatic membership on").isPositive();
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicas(5), Timeouts.DEFAULTS, Security.NONE, Coordination.LEADER)
                .withMembership(shipped.membership());
        try (LocalCluster cluster = LocalCluster.start(config, dir);
             Writer writer = new Writer(cluster.connection(2).kv())) {
            UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(2).kv(), "first", "1");
            writer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged.size() >= 20);

            long killedAt = System.nanoTime();
            cluster.kill(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.connection(1).admin().members().view().equals(new View(2, List.of(1, 2, 4, 5))));
            long firstOnFour = writer.firstCommitAfter(killedAt, Duration.ofSeconds(20));
            System.out.printf("kill -9 of replica 3 to the first commit on four: %d ms (lease %d ms, margin %d ms, auto-exclude-after %d ms)%n",
                    TimeUnit.NANOSECONDS.toMillis(firstOnFour - killedAt), shipped.membership().lease().toMillis(),
                    shipped.membership().leaseMargin().toMillis(), shipped.membership().autoExcludeAfter().toMillis());
            // The proposer installs the view before it records the event (it tells everyone first).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.events(1)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.VIEW_CHANGED);
                assertThat(e.reason()).contains("exclude replica 3, unreachable (replica 3 for", "(proposed by replica 1)");
            }));
            int beforeRestart = writer.acknowledged.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged.size() >= beforeRestart + 20);

            cluster.start(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.connection(3).admin().members().view().equals(new View(3, List.of(1, 2, 3, 4, 5)))
                    && cluster.connection(3).admin().members().catchUp() == null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.events(3)).anySatisfy(e -> assertThat(e.reason())
                    .contains("readmit replica 3 by itself, caught up (automatic membership) (proposed by replica 3)")));

            // The console's demo: the failure switch counts as down.
            cluster.connection(5).admin().setSimulatedFailure(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.connection(1).admin().members().view().equals(new View(4, List.of(1, 2, 3, 4))));
            int whileOff = writer.acknowledged.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged.size() >= whileOff + 20);
            cluster.connection(5).admin().setSimulatedFailure(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.connection(5).admin().members().view().equals(new View(5, List.of(1, 2, 3, 4, 5)))
                    && cluster.connection(5).admin().members().catchUp() == null);

            writer.close();
            MembershipIT.awaitIdentical(cluster);
            Map<String, KeyEntry> contents = new java.util.HashMap<>();
            MembershipIT.contents(cluster, 3).forEach(e -> contents.put(e.key(), e));
            assertThat(writer.acknowledged).isNotEmpty().allSatisfy((key, value) -> {
                assertThat(contents).containsKey(key);
                assertThat(contents.get(key).value()).isEqualTo(value);
            });
        }
    }

    /** Puts a new key after another through one replica, and remembers what was acknowledged and when. */
    static final class Writer implements AutoCloseable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        private final Map<Long, Long> ackedAtNanos = new ConcurrentHashMap<>();
        private final Map<Long, Long> startedAtNanos = new ConcurrentHashMap<>();
        private final KeyValueService kv;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong next = new AtomicLong();
        private final Thread thread;

        Writer(KeyValueService kv) {
            this.kv = kv;
            this.thread = new Thread(this::run, "writer");
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                long n = next.incrementAndGet();
                String key = "w-" + n;
                long started = System.nanoTime();
                try {
                    kv.put(key, "v" + n);
                    acknowledged.put(key, "v" + n);
                    startedAtNanos.put(n, started);
                    ackedAtNanos.put(n, System.nanoTime());
                } catch (ChorusException | RemoteException e) {
                    // Refused while the view changes: the next write tries again. A refused write
                    // must not show up, but it may (an outcome unknown to the client); only the
                    // acknowledged ones are checked.
                    pace();
                }
            }
        }

        /** Writes fail at once while a replica is being switched off; a pause keeps this from spinning. */
        private void pace() {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        /** When the first write started after {@code nanos} was acknowledged (one already under way may finish sooner). */
        long firstCommitAfter(long nanos, Duration within) {
            return await().atMost(within).until(() -> ackedAtNanos.entrySet().stream()
                    .filter(e -> startedAtNanos.get(e.getKey()) - nanos > 0).map(Map.Entry::getValue)
                    .min(Long::compare).orElse(0L), t -> t != 0L);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
