package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.CatchUp;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The membership checks on hand-made observations: for each rule, what breaks it is reported as a
 * "views" (or "final view") anomaly naming the replicas, and its nearest valid twin passes.
 */
class ViewChecksTest {

    private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

    private final List<ViewObservation> seen = new ArrayList<>();

    private static View view(long epoch, Integer... members) {
        return new View(epoch, List.of(members));
    }

    private void polled(int replica, long atMillis, View view) {
        seen.add(new ViewObservation(replica, view, ViewObservation.Source.POLL, atMillis * 1_000_000, ""));
    }

    private void logged(int replica, long line, View view) {
        seen.add(new ViewObservation(replica, view, ViewObservation.Source.LOG, line, "replica " + replica + " now knows " + view.text()));
    }

    private static MembershipStatus member(int replica, View view) {
        return new MembershipStatus(replica, view, true, 800, "", null);
    }

    @Test
    void theViewNamedInEachKindOfViewChangedEventIsRead() {
        assertThat(ViewChecks.viewIn("replica 5 now knows epoch 2 {1,2,4,5}; it is a member")).contains(view(2, 1, 2, 4, 5));
        assertThat(ViewChecks.viewIn("epoch 12 {1,2,3} agreed by replicas 1, 2, 3: exclude replica 4, unreachable (replica 4 for "
                + "1512 ms; membership.auto-exclude-after-ms = 1500) (proposed by replica 1)")).contains(view(12, 1, 2, 3));
        assertThat(ViewChecks.viewIn("replica 3 finished its catch-up from replica 2 and votes and reads in epoch 3 {1,2,3,4,5}"))
                .contains(view(3, 1, 2, 3, 4, 5));
        assertThat(ViewChecks.viewIn("replica 3 holds a read lease again")).isEmpty();
    }

    @Test
    void twoReplicasThatKnewDifferentMembersForOneEpochAreReportedNamingBoth() {
        polled(1, 100, view(1, 1, 2, 3, 4, 5));
        polled(2, 100, view(1, 1, 2, 3, 4, 5));
        polled(2, 900, view(2, 1, 2, 4, 5));
        logged(4, 17, view(2, 1, 2, 3, 5));
        assertThat(ViewChecks.check(seen, FIVE)).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("views");
            assertThat(a.message()).isEqualTo("two replicas knew different members for epoch 2: epoch 2 {1,2,4,5} at replicas [2]; "
                    + "epoch 2 {1,2,3,5} at replicas [4]");
            assertThat(a.witness()).containsExactly("replica 2 knew epoch 2 {1,2,4,5} (members() at 0.900 s)",
                    "replica 4 knew epoch 2 {1,2,3,5} (replica-4.log line 17): replica 4 now knows epoch 2 {1,2,3,5}");
        });
    }

    @Test
    void theSameViewFromEverySourceAndEveryReplicaIsNoAnomaly() {
        polled(1, 100, view(1, 1, 2, 3, 4, 5));
        polled(1, 900, view(2, 1, 2, 4, 5));
        logged(1, 40, view(2, 1, 2, 4, 5));
        seen.add(new ViewObservation(4, view(2, 1, 2, 4, 5), ViewObservation.Source.EVENT, 311, "epoch 2 {1,2,4,5} agreed by replicas 1, 2, 4"));
        polled(3, 2500, view(3, 1, 2, 3, 4, 5));
        assertThat(ViewChecks.check(seen, FIVE)).isEmpty();
    }

    @Test
    void aReplicaThatAnswersWithAnOlderEpochThanBeforeIsReported() {
        polled(3, 100, view(1, 1, 2, 3, 4, 5));
        polled(3, 900, view(3, 1, 2, 3, 4));
        polled(3, 1700, view(2, 1, 2, 3, 4, 5));
        assertThat(ViewChecks.check(seen, FIVE)).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("views");
            assertThat(a.message()).isEqualTo("replica 3 went back from epoch 3 to epoch 2");
            assertThat(a.witness()).containsExactly("replica 3 knew epoch 3 {1,2,3,4} (members() at 0.900 s)",
                    "replica 3 knew epoch 2 {1,2,3,4,5} (members() at 1.700 s)");
        });
    }

    @Test
    void onlyAnswersToMembersAreOrderedForGoingBackNotLogLines() {
        // A replica logs the end of its catch-up in an epoch after it may have learned a newer one.
        logged(3, 10, view(3, 1, 2, 3, 4, 5));
        logged(3, 11, view(2, 1, 2, 4, 5));
        polled(3, 100, view(2, 1, 2, 4, 5));
        polled(3, 900, view(3, 1, 2, 3, 4, 5));
        assertThat(ViewChecks.check(seen, FIVE)).isEmpty();
    }

    @Test
    void aViewWithFewerThanAMajorityOfTheConfiguredReplicasIsReported() {
        polled(1, 100, view(4, 1, 2));
        assertThat(ViewChecks.check(seen, FIVE)).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("views");
            assertThat(a.message()).isEqualTo("epoch 4 {1,2} keeps fewer than a majority (3 of 5) of the configured replicas");
        });
        seen.clear();
        polled(1, 100, view(4, 1, 2, 5));
        assertThat(ViewChecks.check(seen, FIVE)).isEmpty();
    }

    @Test
    void everyReplicaAVotingMemberOfOneViewWithALeaseIsSettled() {
        View all = view(7, 1, 2, 3, 4, 5);
        Map<Integer, MembershipStatus> statuses = new TreeMap<>();
        FIVE.forEach(r -> statuses.put(r, member(r, all)));
        assertThat(ViewChecks.unsettled(FIVE, statuses, Map.of())).isEmpty();
    }

    @Test
    void aLearnerAMemberFinishingItsCatchUpAReplicaWithoutLeaseAndOneNotAnsweringAreUnsettled() {
        View four = view(6, 1, 2, 4, 5);
        Map<Integer, MembershipStatus> statuses = new TreeMap<>();
        statuses.put(1, member(1, four));
        statuses.put(2, new MembershipStatus(2, four, true, 0, "granted by 2 of 5 replicas, 3 needed", null));
        statuses.put(3, new MembershipStatus(3, four, false, 0, "excluded", new CatchUp(CatchUp.Phase.CHANGES, 1, 5, 5, "")));
        statuses.put(4, new MembershipStatus(4, four, true, 800, "", new CatchUp(CatchUp.Phase.FINAL, 1, 5, 5, "")));
        assertThat(ViewChecks.unsettled(FIVE, statuses, Map.of(5, "Connection refused"))).containsExactly(
                "replica 2 is a member of epoch 6 {1,2,4,5} without a read lease (granted by 2 of 5 replicas, 3 needed)",
                "replica 3 is learner at epoch 6 {1,2,4,5} (applying the commits made while copying, from replica 1)",
                "replica 4 is a member of epoch 6 {1,2,4,5} still finishing its catch-up (readmitted; applying the last commits "
                        + "of the epoch before, from replica 1)",
                "replica 5 does not answer: Connection refused");
    }

    @Test
    void membersThatKnowDifferentViewsAreUnsettled() {
        Map<Integer, MembershipStatus> statuses = new TreeMap<>();
        View older = view(6, 1, 2, 3, 4, 5);
        View newer = view(7, 1, 2, 3, 4, 5);
        FIVE.forEach(r -> statuses.put(r, member(r, r == 3 ? older : newer)));
        assertThat(ViewChecks.unsettled(FIVE, statuses, Map.of())).containsExactly(
                "the replicas know different views: epoch 6 {1,2,3,4,5} at replicas [3]; epoch 7 {1,2,3,4,5} at replicas [1, 2, 4, 5]");
    }

    @Test
    void whatIsUnsettledAfterThePatienceIsAFinalViewAnomaly() {
        Anomaly a = ViewChecks.notSettled(Duration.ofSeconds(90), List.of("replica 3 is excluded at epoch 6 {1,2,4,5}"));
        assertThat(a.check()).isEqualTo("final view");
        assertThat(a.message()).isEqualTo("after 90 s of recovery the replicas are not all members of one view");
        assertThat(a.witness()).containsExactly("replica 3 is excluded at epoch 6 {1,2,4,5}");
    }
}
