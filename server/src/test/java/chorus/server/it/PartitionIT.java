package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.NotServingException;
import chorus.api.TransactionAbortedException;
import chorus.api.ViewChangeException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.MembershipSettings;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Security;
import chorus.api.model.EventType;
import chorus.api.model.KeyEntry;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.View;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.NamespaceHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition {1,2} | {3,4,5} between five hosts (network namespaces, see
 * {@link NamespaceHosts}); the test process, in the root namespace, still reaches every host. The
 * minority cannot change the view; the majority excludes replicas 1 and 2, and only once their read
 * leases have run out (replicas 1 and 2 report their own leases all along, and read all along);
 * from then on 1 and 2 refuse reads, while 3, 4 and 5 serve reads and commit writes. After healing,
 * 1 and 2 learn that they were excluded, catch up and are readmitted, and every replica ends with
 * the same contents, every acknowledged write among them. With automatic membership the same
 * happens by itself: replica 3 excludes 1 and 2, which readmit themselves after healing. Needs root
 * and iproute2 (CI runs as root); without them it fails and says what is missing, it does not skip.
 */
class PartitionIT {

    private static final int PORT = 7102;
    private static final Duration LEASE = Duration.ofMillis(1000);
    private static final Duration MARGIN = Duration.ofMillis(100);
    /** How long a change may take (Membership.changeTime): the lease, the margin and two vote timeouts. */
    private static final Duration CHANGE_TIME = LEASE.plus(MARGIN).plus(LocalCluster.TEST_TIMEOUTS.vote().multipliedBy(2));

    @TempDir
    Path dir;

    /** Five replicas, one per host, with one-second leases; automatic membership as {@code membership} says. */
    private static LocalCluster start(NamespaceHosts hosts, Path dir, MembershipSettings membership) {
        List<ReplicaAddress> addresses = new ArrayList<>();
        for (int h = 1; h <= 5; h++) {
            addresses.add(new ReplicaAddress(h, hosts.address(h), PORT));
        }
        ClusterConfig config = new ClusterConfig(addresses, LocalCluster.TEST_TIMEOUTS, Security.NONE, Coordination.RECEIVER)
                .withMembership(membership);
        LocalCluster cluster = LocalCluster.onAddresses(dir, config, hosts::exec);
        try {
            for (int id = 1; id <= 5; id++) {
                cluster.launch(id, Map.of());
            }
            for (int id = 1; id <= 5; id++) {
                cluster.awaitUp(id);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Test
    void theMinorityChangesNothingTheMajorityExcludesItOnceItsLeasesRanOutAndAfterHealingItRejoins() throws Exception {
        MembershipSettings manual = MembershipSettings.DEFAULTS.withLease(LEASE, MARGIN);
        long startedAt = System.currentTimeMillis();
        // Processes first (by pid), then the routes, namespaces and links: each closes even if the other failed.
        try (NamespaceHosts hosts = NamespaceHosts.create(5);
             LocalCluster cluster = start(hosts, dir, manual);
             Observer watch = new Observer(cluster, 1, 2)) {
            try {
                System.out.printf("five hosts and replicas up in %d ms%n", System.currentTimeMillis() - startedAt);
                Map<String, String> acknowledged = new HashMap<>();
                UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "before-1", "v1");
                acknowledged.put("before-1", "v1");
                for (int i = 2; i <= 10; i++) {
                    cluster.connection(1 + i % 5).kv().put("before-" + i, "v" + i);
                    acknowledged.put("before-" + i, "v" + i);
                }
                for (int r = 1; r <= 5; r++) {
                    int replica = r;
                    await("replica " + r + " holds a read lease").atMost(Duration.ofSeconds(10))
                            .until(() -> cluster.connection(replica).admin().members().leaseHeld());
                }
                watch.start();
                await("the watch sees the leases of 1 and 2").atMost(Duration.ofSeconds(10))
                        .until(() -> watch.leaseSeenUntil(1) > 0 && watch.leaseSeenUntil(2) > 0);

                long cutAt = System.currentTimeMillis();
                hosts.partition(List.of(List.of(1, 2), List.of(3, 4, 5)));
                long cutMillis = System.currentTimeMillis() - cutAt;

                // At once, on both sides: the minority tries to exclude replica 3, the majority excludes 1, then 2.
                ExecutorService minority = Executors.newSingleThreadExecutor();
                Future<Throwable> minorityAttempt = minority.submit(() -> {
                    try {
                        return new AssertionError("the minority {1,2} agreed a view: " + cluster.connection(1).admin().exclude(3));
                    } catch (Exception e) {
                        return e;
                    }
                });
                minority.shutdown();
                long excludeOneAt = System.currentTimeMillis();
                View withoutOne = cluster.connection(3).admin().exclude(1);
                long excludedOneAfter = System.currentTimeMillis() - excludeOneAt;
                View withoutOneAndTwo = cluster.connection(3).admin().exclude(2);

                assertThat(withoutOne).isEqualTo(new View(2, List.of(2, 3, 4, 5)));
                assertThat(withoutOneAndTwo).isEqualTo(new View(3, List.of(3, 4, 5)));
                assertThat(minorityAttempt.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ViewChangeException.class, e -> {
                    System.out.println("the minority's attempt: " + e.getMessage());
                    assertThat(e.getMessage()).contains("exclude replica 3: not agreed", "phase one",
                            "replica 3 unreachable", "replica 4 unreachable", "replica 5 unreachable");
                });
                for (int r : List.of(1, 2)) {
                    assertThat(cluster.connection(r).admin().members().view()).as("replica %d, cut off with the minority", r)
                            .isEqualTo(new View(1, List.of(1, 2, 3, 4, 5)));
                }

                // 3, 4 and 5 commit and serve reads without 1 and 2; a write through replica 1 aborts.
                for (int r = 3; r <= 5; r++) {
                    assertThat(cluster.connection(r).kv().put("during-" + r, "majority " + r).versions()).isNotEmpty();
                    acknowledged.put("during-" + r, "majority " + r);
                }
                assertThat(cluster.connection(4).kv().put("before-1", "overwritten by the majority").version()).isEqualTo(2);
                acknowledged.put("before-1", "overwritten by the majority");
                for (int r = 3; r <= 5; r++) {
                    assertThat(cluster.connection(r).kv().get("before-1").value()).isEqualTo("overwritten by the majority");
                    assertThat(cluster.connection(r).kv().get("during-3").value()).isEqualTo("majority 3");
                }
                assertThatThrownBy(() -> cluster.connection(1).kv().put("minority-write", "never")).isInstanceOf(TransactionAbortedException.class);

                // Replicas 1 and 2 went on reading and reporting their leases; they stop once the view
                // without them is known, and refuse every read begun after that.
                ViewHistory during = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                Map<Integer, Long> excludedAt = Map.of(1, during.firstKnownMillis(2, 3, 4, 5), 2, during.firstKnownMillis(3, 3, 4, 5));
                for (int r : List.of(1, 2)) {
                    int replica = r;
                    await("a read at replica " + r + " refused after its exclusion").atMost(Duration.ofSeconds(20))
                            .until(() -> watch.reads(replica).stream().anyMatch(x -> x.startMillis > excludedAt.get(replica) && x.refusal != null));
                }
                watch.close();
                for (int r : List.of(1, 2)) {
                    System.out.println("replica " + r + " from the cut: " + watch.timeline(r, cutAt));
                }
                for (int r : List.of(1, 2)) {
                    long excluded = excludedAt.get(r);
                    long leaseUntil = watch.leaseSeenUntil(r);
                    System.out.printf("replica %d: lease seen to run until cut + %d ms; the view without it known at cut + %d ms "
                                    + "(exclude(1) asked at cut + %d ms and took %d ms; lease %d ms, margin %d ms; %d reads served after the cut, "
                                    + "the last begun at cut + %d ms)%n",
                            r, leaseUntil - cutAt, excluded - cutAt, excludeOneAt - cutAt, excludedOneAfter, LEASE.toMillis(), MARGIN.toMillis(),
                            watch.reads(r).stream().filter(x -> x.refusal == null && x.startMillis >= cutAt).count(),
                            watch.reads(r).stream().filter(x -> x.refusal == null).mapToLong(x -> x.startMillis).max().orElse(0) - cutAt);
                    // The replica's lease ends a margin before its grantors' grants do, and they accept no
                    // view without it until their grants and another margin have run out.
                    assertThat(excluded).as("replica %d excluded at least twice the margin after its lease ran out, as it reported the lease", r)
                            .isGreaterThanOrEqualTo(leaseUntil + 2 * MARGIN.toMillis() - 5);
                    assertThat(watch.leases(r)).as("replica %d holds no lease once the view without it is known", r)
                            .filteredOn(p -> p.startMillis > excluded).isNotEmpty().allSatisfy(p -> assertThat(p.remainingMillis).isZero());
                    assertThat(watch.reads(r)).as("reads at replica %d", r)
                            .filteredOn(x -> x.startMillis > excluded).isNotEmpty().allSatisfy(x -> assertThat(x.refusal)
                                    .isNotNull().contains("replica " + r + " holds no read lease (granted by", "3 needed"));
                }
                // Else the check above would hold whatever the acceptors did: the cut took too long (a busy machine).
                assertThat(watch.leaseSeenUntil(1) + 2 * MARGIN.toMillis())
                        .as("replica 3 asked to exclude 1 (at cut + %d ms) before the acceptors could accept it (so it had to wait)",
                                excludeOneAt - cutAt)
                        .isGreaterThan(excludeOneAt);

                long healAt = System.currentTimeMillis();
                hosts.healPartition();

                // Replicas 1 and 2 learn that they were excluded, copy what they missed, and are readmitted.
                for (int r : List.of(1, 2)) {
                    int replica = r;
                    await("replica " + r + " learns epoch 3").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        MembershipStatus s = cluster.connection(replica).admin().members();
                        assertThat(s.view()).isEqualTo(new View(3, List.of(3, 4, 5)));
                        assertThat(s.member()).isFalse();
                    });
                    assertThatThrownBy(() -> cluster.connection(replica).kv().get("before-1")).isInstanceOf(NotServingException.class)
                            .hasMessageContaining("replica " + r + " is no member of epoch 3 {3,4,5}");
                }
                long learnedAfter = System.currentTimeMillis() - healAt;
                assertThat(cluster.connection(1).admin().readmit(1)).isEqualTo(new View(4, List.of(1, 3, 4, 5)));
                assertThat(cluster.connection(2).admin().readmit(2)).isEqualTo(new View(5, List.of(1, 2, 3, 4, 5)));
                long rejoinedAfter = System.currentTimeMillis() - healAt;
                for (int r : List.of(1, 2)) {
                    assertThat(cluster.connection(r).kv().get("before-1").value()).isEqualTo("overwritten by the majority");
                    assertThat(cluster.connection(r).kv().put("after-" + r, "healed " + r).versions()).isNotEmpty();
                    acknowledged.put("after-" + r, "healed " + r);
                }
                System.out.printf("partition: %d ms to cut; heal: both knew they were excluded after %d ms, both readmitted after %d ms%n",
                        cutMillis, learnedAfter, rejoinedAfter);

                MembershipIT.awaitIdentical(cluster);
                Map<String, KeyEntry> contents = new HashMap<>();
                MembershipIT.contents(cluster, 1).forEach(e -> contents.put(e.key(), e));
                assertThat(acknowledged).allSatisfy((key, value) -> {
                    assertThat(contents).as("every replica has %s", key).containsKey(key);
                    assertThat(contents.get(key).value()).isEqualTo(value);
                });
                assertThat(contents).as("the write through the minority aborted").doesNotContainKey("minority-write");

                ViewHistory history = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                System.out.printf("after healing, replica 1 knew epoch 3 at heal + %d ms, replica 2 at heal + %d ms%n",
                        history.firstKnownMillis(3, 1) - healAt, history.firstKnownMillis(3, 2) - healAt);
                history.assertOneChainOfSingleChanges(5);
                assertThat(history.views).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                        1L, new View(1, List.of(1, 2, 3, 4, 5)), 2L, new View(2, List.of(2, 3, 4, 5)), 3L, new View(3, List.of(3, 4, 5)),
                        4L, new View(4, List.of(1, 3, 4, 5)), 5L, new View(5, List.of(1, 2, 3, 4, 5)))));
            } catch (Throwable t) {
                dumpMembership(cluster);
                throw t;
            }
        }
    }

    @Test
    void withAutomaticMembershipTheMajorityExcludesTheMinorityByItselfAndItRejoinsByItselfAfterHealing() throws Exception {
        MembershipSettings automatic = MembershipSettings.DEFAULTS.withLease(LEASE, MARGIN).withAutoExcludeAfter(Duration.ofMillis(1000));
        long startedAt = System.currentTimeMillis();
        try (NamespaceHosts hosts = NamespaceHosts.create(5);
             LocalCluster cluster = start(hosts, dir, automatic);
             Observer watch = new Observer(cluster, 1, 2)) {
            try {
                Map<String, String> acknowledged = new HashMap<>();
                // A replica that starts slowly (on a busy machine) may be excluded and readmit itself before
                // the test begins: it writes once all five are members, and counts the epochs from there.
                awaitAllFiveMembers(cluster);
                await("a first write").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> cluster.connection(3).kv().put("auto", "before").version() >= 1);
                acknowledged.put("auto", "before");
                View all = awaitAllFiveMembers(cluster);
                long e0 = all.epoch();
                System.out.printf("automatic: five hosts and replicas up, and all five members of %s, in %d ms%n", all.text(),
                        System.currentTimeMillis() - startedAt);
                watch.start();
                await("the watch sees the leases of 1 and 2").atMost(Duration.ofSeconds(10))
                        .until(() -> watch.leaseSeenUntil(1) > 0 && watch.leaseSeenUntil(2) > 0);

                long cutAt = System.currentTimeMillis();
                hosts.partition(List.of(List.of(1, 2), List.of(3, 4, 5)));

                // Replica 3, the lowest member the majority still hears, excludes both silent members at once.
                View majority = new View(e0 + 1, List.of(3, 4, 5));
                await("the majority excludes 1 and 2 by itself").atMost(Duration.ofSeconds(20))
                        .until(() -> cluster.connection(5).admin().members().view().equals(majority));
                for (int r = 3; r <= 5; r++) {
                    assertThat(cluster.connection(r).kv().put("auto-" + r, "majority " + r).versions()).isNotEmpty();
                    acknowledged.put("auto-" + r, "majority " + r);
                }
                // The proposer records the change once it has told everyone it can (1 and 2 it cannot: a call timeout).
                await("replica 3's event").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.events(3)).anySatisfy(e ->
                        assertThat(e.reason()).startsWith(majority.text() + " agreed by replicas 3, 4, 5: exclude replicas 1, 2, unreachable (")
                                .endsWith("(proposed by replica 3)")));
                ViewHistory during = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                long excluded = during.firstKnownMillis(e0 + 1, 3, 4, 5);
                for (int r : List.of(1, 2)) {
                    assertThat(cluster.connection(r).admin().members().view()).as("replica %d, cut off", r).isEqualTo(all);
                    int replica = r;
                    await("a read at replica " + r + " refused after its exclusion").atMost(Duration.ofSeconds(20))
                            .until(() -> watch.reads(replica).stream().anyMatch(x -> x.startMillis > excluded && x.refusal != null));
                }
                watch.close();
                // The minority agrees nothing. It proposes only while it holds a lease, but a proposal it began
                // in the last moments of its lease (a member already silent for the setting) runs on, and fails.
                for (int r : List.of(1, 2)) {
                    List<ProtocolEvent> since = cluster.events(r).stream()
                            .filter(e -> e.timeMillis() >= cutAt && e.role() == Role.MEMBERSHIP).toList();
                    assertThat(since).as("replica %d's membership events since the cut", r)
                            .noneSatisfy(e -> assertThat(e.type()).isEqualTo(EventType.VIEW_CHANGED));
                    since.stream().filter(e -> e.type() == EventType.VIEW_CHANGE_FAILED).forEach(e -> System.out.printf(
                            "automatic: replica %d, cut off, tried a change at cut + ~%d ms (failed at cut + %d ms): %s%n", r,
                            e.timeMillis() - cutAt - CHANGE_TIME.toMillis(), e.timeMillis() - cutAt, e.reason()));
                }
                for (int r : List.of(1, 2)) {
                    long leaseUntil = watch.leaseSeenUntil(r);
                    System.out.printf("automatic: replica %d's lease seen to run until cut + %d ms; {3,4,5} known at cut + %d ms%n",
                            r, leaseUntil - cutAt, excluded - cutAt);
                    assertThat(excluded).as("replica %d excluded at least twice the margin after its lease ran out", r)
                            .isGreaterThanOrEqualTo(leaseUntil + 2 * MARGIN.toMillis() - 5);
                    assertThat(watch.reads(r)).as("reads at replica %d", r).filteredOn(x -> x.startMillis > excluded).isNotEmpty()
                            .allSatisfy(x -> assertThat(x.refusal).isNotNull().contains("replica " + r + " holds no read lease"));
                }

                long healAt = System.currentTimeMillis();
                hosts.healPartition();

                // Replicas 1 and 2 learn that they were excluded, catch up and readmit themselves.
                for (int r = 1; r <= 5; r++) {
                    int replica = r;
                    await("replica " + r + " knows both readmissions").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        MembershipStatus s = cluster.connection(replica).admin().members();
                        assertThat(s.view()).isEqualTo(new View(e0 + 3, List.of(1, 2, 3, 4, 5)));
                        assertThat(s.catchUp()).isNull();
                    });
                }
                System.out.printf("automatic: all five members again %d ms after healing%n", System.currentTimeMillis() - healAt);
                // Each readmission was agreed as one of theirs: "readmit replica 1 by itself, caught up (automatic
                // membership) (proposed by replica 1)", or, where the two raced, by one of them finishing the
                // other's accepted view before its own ("... finished by replica 2 before readmit replica 2 by itself ...").
                await("the proposers' events").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    ViewHistory rejoined = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                    for (long epoch = e0 + 2; epoch <= e0 + 3; epoch++) {
                        String agreed = rejoined.views.get(epoch).text() + " agreed by replicas ";
                        assertThat(rejoined.events).as("the proposer's event for epoch %d", epoch).anySatisfy(e -> assertThat(e.reason())
                                .startsWith(agreed).contains(" by itself, caught up (automatic membership)")
                                .containsPattern("\\(proposed by replica [12]\\)|finished by replica [12] "));
                    }
                });
                for (int r : List.of(1, 2)) {
                    assertThat(cluster.connection(r).kv().get("auto").value()).isEqualTo("before");
                    assertThat(cluster.connection(r).kv().put("auto-after-" + r, "healed").versions()).isNotEmpty();
                    acknowledged.put("auto-after-" + r, "healed");
                }
                MembershipIT.awaitIdentical(cluster);
                Map<String, KeyEntry> contents = new HashMap<>();
                MembershipIT.contents(cluster, 1).forEach(e -> contents.put(e.key(), e));
                assertThat(acknowledged).allSatisfy((key, value) -> assertThat(contents.get(key)).as(key).isNotNull()
                        .satisfies(e -> assertThat(e.value()).isEqualTo(value)));
                ViewHistory history = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                assertThat(history.newest()).isEqualTo(new View(e0 + 3, List.of(1, 2, 3, 4, 5)));
                assertThat(history.views.get(e0 + 2).members()).as("one of 1 and 2 readmitted first").containsAnyOf(1, 2).hasSize(4);
            } catch (Throwable t) {
                dumpMembership(cluster);
                throw t;
            }
        }
    }

    /** Waits until every replica knows one view of all five, holds a lease and copies nothing; that view. */
    private static View awaitAllFiveMembers(LocalCluster cluster) {
        return await("all five members, none catching up").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            View v = cluster.connection(1).admin().members().view();
            for (int r = 1; r <= 5; r++) {
                MembershipStatus s = cluster.connection(r).admin().members();
                if (!s.view().equals(v) || s.catchUp() != null || !s.leaseHeld()) {
                    return null;
                }
            }
            return v;
        }, v -> v != null && v.members().size() == 5);
    }

    /** For a failure's diagnosis: every replica's membership events, and the warnings in its log. */
    private static void dumpMembership(LocalCluster cluster) {
        for (int r = 1; r <= 5; r++) {
            try {
                for (ProtocolEvent e : cluster.events(r)) {
                    if (e.role() == Role.MEMBERSHIP) {
                        System.out.println("replica " + r + " event at " + e.timeMillis() + ": " + e.type() + " " + e.reason());
                    }
                }
            } catch (RuntimeException e) {
                System.out.println("replica " + r + " listed no events: " + e.getMessage());
            }
            int replica = r;
            cluster.warnings(r).forEach(l -> System.out.println("replica " + replica + " log: " + l));
        }
    }

    /**
     * Watches replicas from the root namespace while the hosts are partitioned: their read leases as
     * they report them ({@code members()}, every 20 ms) and reads at them (one after another, 20 ms
     * apart), each with when it began.
     */
    static final class Observer implements AutoCloseable {
        record LeasePoll(long startMillis, long remainingMillis) {
        }

        record Read(long startMillis, long endMillis, String refusal) {
        }

        private final LocalCluster cluster;
        private final int[] replicas;
        private final ScheduledExecutorService timer;
        private final Map<Integer, List<LeasePoll>> leases = new ConcurrentHashMap<>();
        private final Map<Integer, List<Read>> reads = new ConcurrentHashMap<>();

        Observer(LocalCluster cluster, int... replicas) {
            this.cluster = cluster;
            this.replicas = replicas;
            this.timer = Executors.newScheduledThreadPool(2 * replicas.length);
            for (int r : replicas) {
                leases.put(r, new CopyOnWriteArrayList<>());
                reads.put(r, new CopyOnWriteArrayList<>());
            }
        }

        void start() {
            for (int r : replicas) {
                timer.scheduleWithFixedDelay(() -> pollLease(r), 0, 20, TimeUnit.MILLISECONDS);
                timer.scheduleWithFixedDelay(() -> read(r), 0, 20, TimeUnit.MILLISECONDS);
            }
        }

        private void pollLease(int r) {
            long start = System.currentTimeMillis();
            try {
                leases.get(r).add(new LeasePoll(start, cluster.connection(r).admin().members().leaseRemainingMillis()));
            } catch (Exception e) {
                // not answered: nothing learned
            }
        }

        private void read(int r) {
            long start = System.currentTimeMillis();
            try {
                cluster.connection(r).kv().get("before-1");
                reads.get(r).add(new Read(start, System.currentTimeMillis(), null));
            } catch (NotServingException e) {
                reads.get(r).add(new Read(start, System.currentTimeMillis(), e.getMessage()));
            } catch (Exception e) {
                reads.get(r).add(new Read(start, System.currentTimeMillis(), "failed otherwise: " + e));
            }
        }

        List<LeasePoll> leases(int r) {
            return List.copyOf(leases.get(r));
        }

        List<Read> reads(int r) {
            return List.copyOf(reads.get(r));
        }

        /**
         * The latest time (wall clock, ms) until which replica {@code r}'s lease is known to have run:
         * a poll begun at t that reported m ms remaining saw it valid until at least t + m. 0 if none.
         */
        long leaseSeenUntil(int r) {
            return leases.get(r).stream().filter(p -> p.remainingMillis > 0).mapToLong(p -> p.startMillis + p.remainingMillis).max().orElse(0);
        }

        /**
         * Reads and lease polls of replica {@code r} from {@code from} until its first refused read,
         * in order, for the output.
         */
        String timeline(int r, long from) {
            java.util.TreeMap<Long, List<String>> at = new java.util.TreeMap<>();
            leases.get(r).stream().filter(p -> p.startMillis >= from)
                    .forEach(p -> at.computeIfAbsent(p.startMillis - from, k -> new ArrayList<>()).add("lease " + p.remainingMillis + " ms"));
            reads.get(r).stream().filter(x -> x.startMillis >= from).forEach(x -> at.computeIfAbsent(x.startMillis - from, k -> new ArrayList<>())
                    .add("read " + (x.refusal == null ? "ok" : "refused") + " in " + (x.endMillis - x.startMillis) + " ms"));
            List<String> lines = new ArrayList<>();
            for (Map.Entry<Long, List<String>> e : at.entrySet()) {
                lines.add("+" + e.getKey() + ": " + String.join(", ", e.getValue()));
                if (e.getValue().stream().anyMatch(w -> w.startsWith("read refused"))) {
                    break;
                }
            }
            return String.join("; ", lines);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            // A read waiting for a lease returns within the read wait (3 s); RMI calls do not stop when interrupted.
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the observer's calls did not end within 30 s");
            }
        }
    }
}
