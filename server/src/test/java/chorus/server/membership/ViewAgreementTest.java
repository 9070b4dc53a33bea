package chorus.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.model.View;
import chorus.server.protocol.Clock;
import chorus.server.protocol.Scheduler;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The view agreement of five acceptors in one JVM, with unreachable replicas and competing proposers. */
class ViewAgreementTest {

    static final List<Integer> IDS = List.of(1, 2, 3, 4, 5);
    static final Duration LEASE = Duration.ofMillis(200);
    static final Duration MARGIN = Duration.ofMillis(50);

    final Map<Integer, byte[]> disks = new ConcurrentHashMap<>();
    final Map<Integer, ViewAcceptor> acceptors = new ConcurrentHashMap<>();
    final Set<Integer> unreachable = ConcurrentHashMap.newKeySet();
    /** Every view any replica learned, as (replica, view). */
    final List<View> learned = new CopyOnWriteArrayList<>();
    final List<String> reports = new CopyOnWriteArrayList<>();
    ExecutorService calls;

    @BeforeEach
    void start() {
        calls = Executors.newCachedThreadPool();
        IDS.forEach(this::boot);
    }

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    ViewAcceptor boot(int id) {
        ViewAcceptor a = new ViewAcceptor(id, IDS, new ViewAcceptor.Persistence() {
            @Override
            public Optional<byte[]> load() {
                return Optional.ofNullable(disks.get(id));
            }

            @Override
            public void save(byte[] state) {
                disks.put(id, state);
            }
        }, Clock.SYSTEM, LEASE, MARGIN);
        a.onChange(learned::add);
        acceptors.put(id, a);
        return a;
    }

    MembershipChannel channel = new MembershipChannel() {
        ViewAcceptor reach(int replica) throws ConnectException {
            if (unreachable.contains(replica)) {
                throw new ConnectException("replica " + replica + " refused the connection");
            }
            return acceptors.get(replica);
        }

        @Override
        public Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
            return reach(replica).promise(epoch, ballot);
        }

        @Override
        public Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
            return reach(replica).accept(ballot, view);
        }

        @Override
        public void learnView(int replica, View view) throws Exception {
            reach(replica).learn(view);
        }

        @Override
        public LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
            return reach(replica).grantLease(holder, holderView);
        }
    };

    ViewProposer proposer(int id) {
        return new ViewProposer(id, IDS, acceptors.get(id), channel, Scheduler.threads(), calls, Duration.ofMillis(500),
                (view, by, why) -> reports.add(view.text() + " accepted by " + by + ": " + why));
    }

    /** Acceptors accept no exclusion for a lease and margin after they start (see {@link ViewAcceptor}). */
    static void pastRestartGrace() {
        await().pollDelay(LEASE.plus(MARGIN)).atMost(Duration.ofSeconds(2)).until(() -> true);
    }

    static ViewProposer.Change exclude(int replica) {
        return current -> {
            if (!current.isMember(replica)) {
                return current;
            }
            return current.without(replica);
        };
    }

    @Test
    void aMajorityExcludesAReplicaAndEveryReachableReplicaLearnsTheNewView() throws Exception {
        unreachable.add(3);
        ViewProposer.Outcome out = proposer(1).propose("exclude replica 3", exclude(3), Duration.ofSeconds(5));

        assertThat(out.changed()).isTrue();
        assertThat(out.view()).isEqualTo(new View(2, List.of(1, 2, 4, 5)));
        assertThat(out.acceptedBy()).hasSizeGreaterThanOrEqualTo(3).doesNotContain(3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int id : List.of(1, 2, 4, 5)) {
                assertThat(acceptors.get(id).view()).isEqualTo(out.view());
            }
        });
        assertThat(acceptors.get(3).view().epoch()).isEqualTo(1);
        assertThat(reports).singleElement().asString().contains("epoch 2 {1,2,4,5}", "exclude replica 3 (proposed by replica 1)");
    }

    @Test
    void theSameChangeTwiceChangesNothingTheSecondTime() throws Exception {
        proposer(2).propose("exclude replica 5", exclude(5), Duration.ofSeconds(5));
        ViewProposer.Outcome again = proposer(4).propose("exclude replica 5", exclude(5), Duration.ofSeconds(5));

        assertThat(again.changed()).isFalse();
        assertThat(again.view()).isEqualTo(new View(2, List.of(1, 2, 3, 4)));
    }

    @Test
    void aMinorityCannotChangeTheView() {
        unreachable.addAll(List.of(3, 4, 5));

        assertThatThrownBy(() -> proposer(1).propose("exclude replica 3", exclude(3), Duration.ofMillis(800)))
                .isInstanceOf(ViewChangeException.class)
                .hasMessageContaining("exclude replica 3: not agreed")
                .hasMessageContaining("replica 4 unreachable: replica 4 refused the connection");
        unreachable.clear();
        for (int id : IDS) {
            assertThat(acceptors.get(id).view()).isEqualTo(View.initial(IDS));
        }
    }

    @Test
    void aViewAcceptedByAMajorityButNeverAnnouncedIsFinishedBeforeTheNextChange() throws Exception {
        pastRestartGrace();
        // A proposer had replicas 1, 2 and 3 accept "without 2" and died before telling anyone.
        Ballot dead = new Ballot(7, 2);
        View orphan = View.initial(IDS).without(2);
        for (int id : List.of(1, 2, 3)) {
            assertThat(acceptors.get(id).promise(2, dead).granted()).isTrue();
            assertThat(acceptors.get(id).accept(dead, orphan).granted()).isTrue();
        }
        unreachable.add(2);

        ViewProposer.Outcome out = proposer(5).propose("exclude replica 4", exclude(4), Duration.ofSeconds(5));

        assertThat(out.view()).isEqualTo(new View(3, List.of(1, 3, 5)));
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).contains("epoch 2 {1,3,4,5}", "a view accepted earlier for epoch 2");
        assertThat(reports.get(1)).contains("epoch 3 {1,3,5}", "exclude replica 4 (proposed by replica 5)");
    }

    @Test
    void competingProposersNeverAgreeTwoViewsOfOneEpoch() throws Exception {
        for (int round = 0; round < 10; round++) {
            // A fresh cluster each round, and no announcement of the last round still on its way.
            calls.shutdownNow();
            assertThat(calls.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            calls = Executors.newCachedThreadPool();
            disks.clear();
            learned.clear();
            IDS.forEach(this::boot);
            List<Future<ViewProposer.Outcome>> runs = new ArrayList<>();
            int a = 1 + round % 5;
            int b = 1 + (round + 2) % 5;
            int victimA = 1 + (round + 1) % 5;
            int victimB = 1 + (round + 3) % 5;
            ViewProposer pa = proposer(a);
            ViewProposer pb = proposer(b);
            runs.add(calls.submit(() -> pa.propose("exclude replica " + victimA, exclude(victimA), Duration.ofSeconds(10))));
            runs.add(calls.submit(() -> pb.propose("exclude replica " + victimB, exclude(victimB), Duration.ofSeconds(10))));
            for (Future<ViewProposer.Outcome> f : runs) {
                f.get();
            }
            Map<Long, View> byEpoch = new TreeMap<>();
            for (View v : learned) {
                View other = byEpoch.putIfAbsent(v.epoch(), v);
                assertThat(other == null || other.equals(v)).as("epoch %d agreed as %s and %s", v.epoch(), other, v).isTrue();
            }
            View last = byEpoch.values().stream().reduce((x, y) -> y).orElseThrow();
            assertThat(last.members()).doesNotContain(victimA, victimB);
        }
    }

    @Test
    void aReadLeaseHoldsOffAnExclusionUntilItRunsOut() throws Exception {
        pastRestartGrace();
        // Replica 3 holds a lease from a majority.
        for (int id : List.of(3, 4, 5)) {
            assertThat(acceptors.get(id).grantLease(3, View.initial(IDS)).granted()).isTrue();
        }
        long start = System.nanoTime();

        assertThatThrownBy(() -> proposer(1).propose("exclude replica 3", exclude(3), Duration.ofMillis(60)))
                .isInstanceOf(ViewChangeException.class).hasMessageContaining("replica 3's read lease, granted by replica");

        ViewProposer.Outcome out = proposer(1).propose("exclude replica 3", exclude(3), Duration.ofSeconds(5));
        assertThat(out.view().members()).containsExactly(1, 2, 4, 5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(LEASE);
        // Once a majority accepted a view without it, replica 3 gets no lease from them.
        assertThat(acceptors.get(4).grantLease(3, View.initial(IDS)).reason()).contains("replica 3 is no member of epoch 2 {1,2,4,5}");
    }

    @Test
    void aLiveReplicaThatKeepsRenewingItsLeaseCanStillBeExcluded() throws Exception {
        pastRestartGrace();
        java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        Future<?> holder = calls.submit(() -> {
            while (renewing.get()) {
                for (int id : IDS) {
                    if (!acceptors.get(id).grantLease(3, View.initial(IDS)).granted()) {
                        refusals.incrementAndGet();
                    }
                }
                await().pollDelay(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
            return null;
        });
        try {
            ViewProposer.Outcome out = proposer(1).propose("exclude replica 3", exclude(3), Duration.ofSeconds(5));
            assertThat(out.view().members()).containsExactly(1, 2, 4, 5);
            assertThat(refusals.get()).as("grants withheld while the exclusion waited").isPositive();
        } finally {
            renewing.set(false);
            holder.get();
        }
    }

    @Test
    void anAcceptorJustRestartedAcceptsNoExclusionForALease() throws Exception {
        ViewAcceptor fresh = acceptors.get(4);
        Ballot b = new Ballot(1, 1);
        assertThat(fresh.promise(2, b).granted()).isTrue();

        Acceptance refused = fresh.accept(b, View.initial(IDS).without(3));

        assertThat(refused.granted()).isFalse();
        assertThat(refused.reason()).contains("restarted less than a lease ago");
        assertThat(refused.retryAfterMillis()).isBetween(1L, LEASE.plus(MARGIN).toMillis());
        // Adding a replica excludes nobody: no lease stands in the way.
        View shrunk = View.initial(IDS).without(3);
        assertThat(fresh.learn(shrunk)).isTrue();
        assertThat(fresh.promise(3, b).granted()).isTrue();
        assertThat(fresh.accept(b, shrunk.with(3)).granted()).isTrue();
    }

    @Test
    void promisesAndAcceptancesSurviveARestart() {
        ViewAcceptor a = acceptors.get(2);
        View v = View.initial(IDS).with(9);
        assertThat(a.promise(2, new Ballot(5, 1)).granted()).isTrue();

        ViewAcceptor restarted = boot(2);

        Promise lower = restarted.promise(2, new Ballot(4, 3));
        assertThat(lower.granted()).isFalse();
        assertThat(lower.reason()).contains("promised ballot 5.1 for epoch 2");
        assertThat(restarted.accept(new Ballot(5, 1), v).granted()).isTrue();
        Promise higher = boot(2).promise(2, new Ballot(6, 4));
        assertThat(higher.granted()).isTrue();
        assertThat(higher.accepted()).isEqualTo(v);
        assertThat(higher.acceptedBallot()).isEqualTo(new Ballot(5, 1));
    }

    @Test
    void aChangeThatDoesNotApplyIsRefusedWithItsReason() {
        assertThatThrownBy(() -> proposer(1).propose("readmit replica 7", current -> {
            throw new InvalidRequestException("replica 7 is not configured");
        }, Duration.ofSeconds(1))).isInstanceOf(InvalidRequestException.class).hasMessage("replica 7 is not configured");
    }
}
