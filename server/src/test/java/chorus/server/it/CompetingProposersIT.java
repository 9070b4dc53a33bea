package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.InvalidRequestException;
import chorus.api.ReplicaAdmin;
import chorus.api.ViewChangeException;
import chorus.api.model.KeyEntry;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.View;
import chorus.server.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas propose different views at the same moment, on five replica JVMs (one-second
 * leases, automatic membership off): whatever the timing, each epoch gets one view, and every
 * replica that knows an epoch knows the same members.
 *
 * <ul>
 *   <li>Compatible changes from the full view (replica 1 excludes 5 while replica 2 excludes 4):
 *       both may get through, one epoch after the other, or one may run out of time; never two
 *       views of one epoch. The two readmissions then race as well.</li>
 *   <li>Conflicting changes from a view of four (with 5 excluded): each would leave three members,
 *       both together two, fewer than a majority. Exactly one wins; the other finds the winner's view
 *       and is refused by the majority rule (or runs out of time). Among them two replicas that each
 *       exclude the other, the lock primary among them.</li>
 * </ul>
 *
 * The targets are alive and hold read leases, so every exclusion must first wait them out (the
 * acceptors withhold further grants meanwhile): each race lasts at least that long, with both
 * proposers' ballots in play.
 */
class CompetingProposersIT {

    @TempDir
    Path dir;

    /** One proposer's call: who asked whom to exclude whom, when (wall clock, ms), and what came of it. */
    record Call(int proposer, int target, long startMillis, long endMillis, View view, Exception failure) {
        boolean excluded() {
            return view != null && !view.isMember(target);
        }

        @Override
        public String toString() {
            return "replica " + proposer + " excludes " + target + ": " + (view != null ? view.text()
                    : failure.getClass().getSimpleName() + " \"" + failure.getMessage() + "\"") + " after " + (endMillis - startMillis) + " ms";
        }
    }

    @Test
    void twoReplicasProposingDifferentViewsAtOnceNeverAgreeTwoViewsOfAnEpoch() throws Exception {
        try (LocalCluster cluster = MembershipIT.start(dir, chorus.api.config.Coordination.RECEIVER)) {
            Map<String, String> acknowledged = new HashMap<>();
            UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "counter", "0");
            acknowledged.put("counter", "0");
            List<String> raced = new ArrayList<>();

            // Compatible: both may get through, one epoch after the other.
            View full = currentView(cluster);
            Call[] compatible = race(cluster, full, 1, 5, 2, 4);
            ViewHistory h = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
            for (Call c : compatible) {
                if (c.view() != null) {
                    assertThat(c.excluded()).as("%s", c).isTrue();
                    assertThat(h.views.get(c.view().epoch())).as("the view %s returned, among the agreed ones", c).isEqualTo(c.view());
                } else {
                    assertThat(c.failure()).as("%s", c).isInstanceOf(ViewChangeException.class);
                }
            }
            List<Integer> excludedOnes = java.util.Arrays.stream(compatible).filter(Call::excluded).map(Call::target).toList();
            assertThat(excludedOnes).as("at least one of %s got through", List.of(compatible)).isNotEmpty();
            if (excludedOnes.size() == 2) {
                assertThat(compatible[0].view().epoch()).as("two changes, two epochs").isNotEqualTo(compatible[1].view().epoch());
                assertThat(h.newest()).isEqualTo(new View(full.epoch() + 2, List.of(1, 2, 3)));
            }
            raced.addAll(evidence(h, full, compatible));
            commitIn(cluster, acknowledged, "compatible");

            // The excluded ones readmit themselves at the same moment.
            readmitAtOnce(cluster, excludedOnes);
            commitIn(cluster, acknowledged, "readmitted");

            // Conflicting: from a view of four, exactly one of two exclusions can win.
            View four = cluster.connection(3).admin().exclude(5);
            assertThat(four.members()).containsExactly(1, 2, 3, 4);
            int[][] duels = {{3, 4, 4, 3}, {1, 2, 2, 1}, {1, 4, 2, 3}};
            for (int[] d : duels) {
                View before = currentView(cluster);
                assertThat(before.members()).containsExactly(1, 2, 3, 4);
                Call[] calls = race(cluster, before, d[0], d[1], d[2], d[3]);
                List<Call> winners = java.util.Arrays.stream(calls).filter(Call::excluded).toList();
                assertThat(winners).as("exactly one of %s wins", List.of(calls)).hasSize(1);
                Call winner = winners.get(0);
                Call loser = calls[0] == winner ? calls[1] : calls[0];
                assertThat(loser.failure()).as("%s", loser).isNotNull().satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(InvalidRequestException.class).hasMessageContaining(
                                "excluding replica " + loser.target() + " would leave").hasMessageContaining("fewer than a majority"),
                        e -> assertThat(e).isInstanceOf(ViewChangeException.class));
                h = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
                assertThat(h.newest()).as("one change after %s", before.text()).isEqualTo(before.without(winner.target()));
                assertThat(winner.view()).isEqualTo(h.newest());
                raced.addAll(evidence(h, before, calls));
                commitIn(cluster, acknowledged, "duel " + d[0] + "-" + d[2]);
                readmitAtOnce(cluster, List.of(winner.target()));
            }
            readmitAtOnce(cluster, List.of(5));
            commitIn(cluster, acknowledged, "all five again");

            ViewHistory history = ViewHistory.collect(cluster, 1, 2, 3, 4, 5);
            history.assertOneChainOfSingleChanges(5);
            assertThat(history.newest().members()).containsExactly(1, 2, 3, 4, 5);
            List<String> finished = history.events.stream().map(ProtocolEvent::reason).filter(r -> r.contains("finished by replica"))
                    .distinct().toList();
            System.out.println("views agreed: " + history.views.values().stream().map(View::text).collect(Collectors.joining(", ")));
            System.out.println("races with both ballots in play: " + raced.size() + " of 4: " + raced);
            System.out.println("views accepted by one proposer and finished by the other: " + finished);
            assertThat(raced).as("at least one race had the second proposer under way before the first one's view was agreed").isNotEmpty();

            MembershipIT.awaitIdentical(cluster);
            Map<String, KeyEntry> contents = new HashMap<>();
            MembershipIT.contents(cluster, 1).forEach(e -> contents.put(e.key(), e));
            assertThat(acknowledged).allSatisfy((key, value) -> {
                assertThat(contents).containsKey(key);
                assertThat(contents.get(key).value()).isEqualTo(value);
            });
        }
    }

    /**
     * Replica {@code p} excludes {@code x} while replica {@code q} excludes {@code y}, both let go
     * by one latch once every member of {@code view} holds a read lease.
     */
    private static Call[] race(LocalCluster cluster, View view, int p, int x, int q, int y) throws Exception {
        for (int r : view.members()) {
            await("replica " + r + " holds a read lease").atMost(Duration.ofSeconds(15))
                    .until(() -> cluster.connection(r).admin().members().leaseHeld());
        }
        ReplicaAdmin first = cluster.connection(p).admin();
        ReplicaAdmin second = cluster.connection(q).admin();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<Call> a = two.submit(() -> exclude(go, first, p, x));
            Future<Call> b = two.submit(() -> exclude(go, second, q, y));
            go.countDown();
            Call[] calls = {a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)};
            System.out.println("from " + view.text() + ": " + calls[0] + "; " + calls[1]);
            return calls;
        } finally {
            two.shutdownNow();
        }
    }

    private static Call exclude(CountDownLatch go, ReplicaAdmin admin, int proposer, int target) throws InterruptedException {
        go.await();
        long start = System.currentTimeMillis();
        try {
            View v = admin.exclude(target);
            return new Call(proposer, target, start, System.currentTimeMillis(), v, null);
        } catch (Exception e) {
            return new Call(proposer, target, start, System.currentTimeMillis(), null, e);
        }
    }

    /**
     * Whether both proposers were under way for the epoch after {@code before}: the one whose change
     * did not make that epoch's view began at least 200 ms before any replica knew it (each race
     * lasts at least a lease wait, so its first ballot was out by then).
     */
    private static List<String> evidence(ViewHistory h, View before, Call[] calls) {
        long epoch = before.epoch() + 1;
        View next = h.views.get(epoch);
        if (next == null) {
            return List.of();
        }
        long known = h.firstKnownMillis(epoch, 1, 2, 3, 4, 5);
        for (Call c : calls) {
            boolean madeIt = !next.isMember(c.target()) && next.members().size() == before.members().size() - 1;
            if (!madeIt && c.startMillis() < known - 200) {
                return List.of("epoch " + epoch + ": replica " + c.proposer() + " began " + (known - c.startMillis())
                        + " ms before " + next.text() + " was known");
            }
        }
        return List.of();
    }

    /** Every replica of {@code replicas} readmits itself (asked of itself), all at the same moment. */
    private static void readmitAtOnce(LocalCluster cluster, List<Integer> replicas) throws Exception {
        if (replicas.isEmpty()) {
            return;
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
        try {
            List<Future<View>> results = new ArrayList<>();
            for (int r : replicas) {
                ReplicaAdmin admin = cluster.connection(r).admin();
                results.add(pool.submit(() -> {
                    go.await();
                    return admin.readmit(r);
                }));
            }
            go.countDown();
            for (int i = 0; i < replicas.size(); i++) {
                View v = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(v.isMember(replicas.get(i))).as("replica %d readmitted in %s", replicas.get(i), v.text()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int r = 1; r <= 5; r++) {
            int replica = r;
            await("replica " + r + " knows every readmission").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(cluster.connection(replica).admin().members().view().members()).containsAll(replicas));
        }
    }

    /** A write through the lowest member commits in the current view, and a new key too. */
    private static void commitIn(LocalCluster cluster, Map<String, String> acknowledged, String step) throws Exception {
        View v = currentView(cluster);
        int through = v.members().get(0);
        await("a write commits in " + v.text()).atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> cluster.connection(through).kv().put("counter", step).versions().size() == 1);
        acknowledged.put("counter", step);
        String key = "after " + step + " in epoch " + v.epoch();
        cluster.connection(v.members().get(v.members().size() - 1)).kv().put(key, v.text());
        acknowledged.put(key, v.text());
    }

    /** The newest view any replica knows. */
    private static View currentView(LocalCluster cluster) throws Exception {
        View newest = null;
        for (int r = 1; r <= 5; r++) {
            View v = cluster.connection(r).admin().members().view();
            if (newest == null || v.epoch() > newest.epoch()) {
                newest = v;
            }
        }
        return newest;
    }
}
