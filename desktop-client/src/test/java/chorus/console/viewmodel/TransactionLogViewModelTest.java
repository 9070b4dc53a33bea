package chorus.console.viewmodel;

import static chorus.console.testing.Events.coordinator;
import static chorus.console.testing.Events.participant;
import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.EventType;
import chorus.api.model.TxId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionLogViewModelTest {

    private final TransactionLogViewModel vm = new TransactionLogViewModel();
    private final TxId t1 = new TxId(1, 1, 1);
    private final TxId t2 = new TxId(1, 1, 2);

    @BeforeEach
    void setUp() {
        vm.setReplicas(List.of(1, 2, 3));
    }

    private void commitEverywhere(TxId tx, long t0) {
        vm.eventsArrived(1, List.of(coordinator(tx, t0, EventType.STARTED, 0, "", -1),
                coordinator(tx, t0 + 1, EventType.PREPARED, 2, "", 800),
                coordinator(tx, t0 + 2, EventType.PREPARED, 3, "", 900),
                participant(1, tx, t0 + 1, EventType.PREPARED),
                coordinator(tx, t0 + 3, EventType.COMMITTED, 0, "", 3000),
                participant(1, tx, t0 + 3, EventType.COMMITTED)), 0);
        vm.eventsArrived(2, List.of(participant(2, tx, t0 + 1, EventType.PREPARED), participant(2, tx, t0 + 3, EventType.COMMITTED)), 0);
        vm.eventsArrived(3, List.of(participant(3, tx, t0 + 1, EventType.PREPARED), participant(3, tx, t0 + 3, EventType.COMMITTED)), 0);
    }

    @Test
    void eventsOfAllReplicasMergeIntoOneRowPerTransaction() {
        commitEverywhere(t1, 1000);
        assertThat(vm.visibleRows()).hasSize(1);
        TxRow row = vm.visibleRows().get(0);
        assertThat(row.outcomeProperty().get()).isEqualTo(TxState.COMMITTED);
        for (int r = 1; r <= 3; r++) {
            assertThat(row.stateProperty(r).get()).as("replica %d", r).isEqualTo(TxState.COMMITTED);
        }
        assertThat(row.durationMillisProperty().get()).isEqualTo(3);
        assertThat(row.coordinatorProperty().get()).isEqualTo(1);
        assertThat(row.keysProperty().get()).isEqualTo("k");
    }

    @Test
    void aVoteTimeoutShowsTimedOutOnTheSilentReplicaAndAbortedElsewhere() {
        vm.eventsArrived(1, List.of(coordinator(t1, 1000, EventType.STARTED, 0, "", -1),
                coordinator(t1, 1001, EventType.PREPARED, 2, "", 500),
                coordinator(t1, 3000, EventType.TIMED_OUT, 3, "replica 3 did not vote within 2000 ms", -1),
                coordinator(t1, 3001, EventType.ABORTED, 0, "replica 3 did not vote within 2000 ms", -1),
                participant(1, t1, 3001, EventType.ABORTED)), 0);
        vm.eventsArrived(2, List.of(participant(2, t1, 1001, EventType.PREPARED), participant(2, t1, 3002, EventType.ABORTED)), 0);
        TxRow row = vm.row(t1);
        assertThat(row.stateProperty(3).get()).isEqualTo(TxState.TIMED_OUT);
        assertThat(row.stateProperty(2).get()).isEqualTo(TxState.ABORTED);
        assertThat(row.outcomeProperty().get()).isEqualTo(TxState.ABORTED);
        assertThat(row.reasonProperty().get()).isEqualTo("replica 3 did not vote within 2000 ms");
    }

    @Test
    void aReplicaThatTimedOutKeepsShowingItAfterTheAbortReachesIt() {
        vm.eventsArrived(1, List.of(coordinator(t1, 1000, EventType.TIMED_OUT, 3, "replica 3 did not vote", -1),
                coordinator(t1, 1001, EventType.ABORTED, 0, "replica 3 did not vote", -1)), 0);
        vm.eventsArrived(3, List.of(participant(3, t1, 5000, EventType.ABORTED)), 0);
        assertThat(vm.row(t1).stateProperty(3).get()).isEqualTo(TxState.TIMED_OUT);
    }

    @Test
    void lateEventsNeverMoveAReplicaBackwards() {
        vm.eventsArrived(2, List.of(participant(2, t1, 1003, EventType.COMMITTED)), 0);
        vm.eventsArrived(2, List.of(participant(2, t1, 1001, EventType.PREPARED)), 0);
        assertThat(vm.row(t1).stateProperty(2).get()).isEqualTo(TxState.COMMITTED);
    }

    @Test
    void newestTransactionComesFirst() {
        commitEverywhere(t1, 1000);
        commitEverywhere(t2, 2000);
        assertThat(vm.visibleRows()).extracting(TxRow::txId).containsExactly(t2, t1);
    }

    @Test
    void pauseHoldsEventsUntilResume() {
        vm.pausedProperty().set(true);
        commitEverywhere(t1, 1000);
        assertThat(vm.visibleRows()).isEmpty();
        assertThat(vm.summaryProperty().get()).contains("paused");
        vm.pausedProperty().set(false);
        assertThat(vm.visibleRows()).hasSize(1);
    }

    @Test
    void filtersByStateReplicaAndKey() {
        commitEverywhere(t1, 1000);
        vm.eventsArrived(1, List.of(coordinator(t2, 2000, EventType.STARTED, 0, "", -1),
                coordinator(t2, 2001, EventType.TIMED_OUT, 3, "replica 3 did not vote", -1),
                coordinator(t2, 2002, EventType.ABORTED, 0, "replica 3 did not vote", -1)), 0);
        vm.stateFilterProperty().set(TxState.TIMED_OUT);
        assertThat(vm.visibleRows()).extracting(TxRow::txId).containsExactly(t2);
        vm.replicaFilterProperty().set(2);
        assertThat(vm.visibleRows()).isEmpty();
        vm.stateFilterProperty().set(TxState.COMMITTED);
        assertThat(vm.visibleRows()).extracting(TxRow::txId).containsExactly(t1);
        vm.stateFilterProperty().set(null);
        vm.replicaFilterProperty().set(null);
        vm.keyFilterProperty().set("nothing-like-this");
        assertThat(vm.visibleRows()).isEmpty();
        vm.keyFilterProperty().set("K");
        assertThat(vm.visibleRows()).hasSize(2);
    }

    @Test
    void timelineHasALanePerReplicaWithVotesDecisionAndTimeout() {
        vm.eventsArrived(1, List.of(coordinator(t1, 1000, EventType.STARTED, 0, "", -1),
                coordinator(t1, 1002, EventType.PREPARED, 2, "", 1500),
                coordinator(t1, 3000, EventType.TIMED_OUT, 3, "replica 3 did not vote within 2000 ms", -1),
                coordinator(t1, 3001, EventType.ABORTED, 0, "replica 3 did not vote within 2000 ms", -1),
                coordinator(t1, 3005, EventType.ACKNOWLEDGED, 2, "", 4000)), 0);
        vm.selectedProperty().set(vm.row(t1));
        List<TimelineLane> lanes = vm.timeline();
        assertThat(lanes).extracting(TimelineLane::replica).containsExactly(1, 2, 3);
        assertThat(lanes.get(0).coordinator()).isTrue();
        assertThat(lanes.get(0).marks()).extracting(TimelineMark::label)
                .containsExactly("PREPARE sent", "decision ABORT: replica 3 did not vote within 2000 ms");
        assertThat(lanes.get(1).marks()).extracting(TimelineMark::label).containsExactly("vote YES (1.50 ms)", "ack (4.00 ms)");
        assertThat(lanes.get(2).marks()).extracting(TimelineMark::label, TimelineMark::offsetMillis, TimelineMark::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("timeout: replica 3 did not vote within 2000 ms", 2000L,
                        TimelineMark.Phase.TIMEOUT));
        assertThat(lanes.get(1).marks()).extracting(TimelineMark::phase)
                .containsExactly(TimelineMark.Phase.VOTE, TimelineMark.Phase.ACKNOWLEDGEMENT);
    }

    @Test
    void aCommitShowsTheAnswerAndTheLastAcknowledgementAsSeparateMarks() {
        vm.eventsArrived(1, List.of(coordinator(t1, 1000, EventType.STARTED, 0, "", -1),
                coordinator(t1, 1002, EventType.PREPARED, 2, "", 1500),
                coordinator(t1, 1003, EventType.COMMITTED, 0, "", 2500),
                coordinator(t1, 1003, EventType.ANSWERED, 0, "at the commit point; acknowledgements from replica 2 follow", 2700),
                coordinator(t1, 1005, EventType.ACKNOWLEDGED, 2, "", 1200),
                coordinator(t1, 1005, EventType.ALL_ACKNOWLEDGED, 0, "COMMIT acknowledged by every replica", 1900)), 0);
        vm.selectedProperty().set(vm.row(t1));
        TimelineLane coordinatorLane = vm.timeline().get(0);
        assertThat(coordinatorLane.marks()).extracting(TimelineMark::label, TimelineMark::offsetMillis, TimelineMark::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PREPARE sent", 0L, TimelineMark.Phase.PREPARE),
                        org.assertj.core.groups.Tuple.tuple("decision COMMIT (2.50 ms)", 3L, TimelineMark.Phase.DECISION),
                        org.assertj.core.groups.Tuple.tuple("answered client (2.70 ms)", 3L, TimelineMark.Phase.DECISION),
                        org.assertj.core.groups.Tuple.tuple("acknowledged by all (1.90 ms after the decision)", 5L, TimelineMark.Phase.ACKNOWLEDGEMENT));
        assertThat(vm.row(t1).outcomeProperty().get()).isEqualTo(TxState.COMMITTED);
    }

    @Test
    void aForwardersRecordPutsItsLaneOnTheLeadersTransaction() {
        // Leader coordination: replica 4 forwarded its client's write to replica 1, which ran it as t1.
        vm.eventsArrived(1, List.of(coordinator(t1, 1000, EventType.STARTED, 0, "", -1),
                coordinator(t1, 1003, EventType.COMMITTED, 0, "", 2500)), 0);
        vm.eventsArrived(4, List.of(new chorus.api.model.ProtocolEvent(900, 1004, 4, chorus.api.model.Role.FORWARDER,
                EventType.FORWARDED, t1, t1.coordinator(), 1, List.of("k"), "put k", "coordinated by replica 1", 3200)), 0);
        assertThat(vm.visibleRows()).extracting(TxRow::txId).containsExactly(t1);
        vm.selectedProperty().set(vm.row(t1));
        List<TimelineLane> lanes = vm.timeline();
        assertThat(lanes).extracting(TimelineLane::replica).contains(1, 4);
        TimelineLane forwarder = lanes.stream().filter(l -> l.replica() == 4).findFirst().orElseThrow();
        assertThat(forwarder.coordinator()).isFalse();
        assertThat(forwarder.marks()).extracting(TimelineMark::label, TimelineMark::offsetMillis, TimelineMark::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("forward answered by replica 1 (3.20 ms)", 4L,
                        TimelineMark.Phase.ACKNOWLEDGEMENT));
        assertThat(vm.row(t1).coordinatorProperty().get()).isEqualTo(1);
    }

    @Test
    void eventsWithoutATransactionAreListedApartNewestFirst() {
        vm.eventsArrived(3, List.of(
                new chorus.api.model.ProtocolEvent(1, 1000, 3, chorus.api.model.Role.OPERATOR, EventType.FAILURE_ON, null, 0, 3,
                        List.of(), "", "replica 3 now answers every client and peer call as a crashed replica would", -1),
                new chorus.api.model.ProtocolEvent(2, 2000, 3, chorus.api.model.Role.FORWARDER, EventType.TIMED_OUT, null, 0, 1,
                        List.of("k"), "put k", "replica 3 forwards writes to replica 1, ..., which did not answer within 6750 ms", 6_750_000)),
                0);
        assertThat(vm.visibleRows()).as("no transaction row for them").isEmpty();
        assertThat(vm.replicaEvents()).hasSize(2);
        assertThat(vm.replicaEvents().get(0)).contains("replica 3  FORWARDER TIMED_OUT  put k: replica 3 forwards writes to replica 1")
                .contains("did not answer within 6750 ms");
        assertThat(vm.replicaEvents().get(1)).contains("replica 3  OPERATOR FAILURE_ON: replica 3 now answers");
        // Replicas are polled one by one: an older event of another replica still goes in time order.
        vm.eventsArrived(1, List.of(new chorus.api.model.ProtocolEvent(1, 1500, 1, chorus.api.model.Role.PARTICIPANT,
                EventType.RECOVERED, null, 0, 1, List.of(), "", "started with 0 keys", -1)), 0);
        assertThat(vm.replicaEvents()).hasSize(3);
        assertThat(vm.replicaEvents().get(1)).contains("replica 1  PARTICIPANT RECOVERED: started with 0 keys");
        vm.setReplicas(List.of(1, 2, 3));
        assertThat(vm.replicaEvents()).as("cleared with the cluster").isEmpty();
    }

    private static chorus.api.model.ProtocolEvent membership(int replica, long time, EventType type, String reason) {
        return new chorus.api.model.ProtocolEvent(time, time, replica, chorus.api.model.Role.MEMBERSHIP, type, null, 0, replica,
                List.of(), "", reason, -1);
    }

    @Test
    void aViewChangeIsOneRowPerEpochMergedFromEveryReplicasRecord() {
        vm.setReplicas(List.of(1, 2, 3, 4, 5));
        // The proposer records learning the view, then the agreement; the others as they learn it.
        vm.eventsArrived(2, List.of(
                membership(2, 5_000, EventType.VIEW_CHANGED, "replica 2 now knows epoch 2 {1,2,4,5}; it is a member"),
                membership(2, 5_001, EventType.VIEW_CHANGED,
                        "epoch 2 {1,2,4,5} agreed by replicas 1, 2, 4: exclude replica 3 (proposed by replica 2)")), 0);
        vm.eventsArrived(1, List.of(membership(1, 4_999, EventType.VIEW_CHANGED, "replica 1 now knows epoch 2 {1,2,4,5}; it is a member")), 0);
        vm.eventsArrived(3, List.of(membership(3, 9_000, EventType.VIEW_CHANGED,
                "replica 3 now knows epoch 2 {1,2,4,5}; it is excluded: it serves no reads or writes until readmitted")), 0);

        assertThat(vm.visibleRows()).as("no transaction row").isEmpty();
        assertThat(vm.replicaEvents()).as("not among the other replica events").isEmpty();
        assertThat(vm.membershipRows()).singleElement().satisfies(row -> {
            assertThat(row.epoch()).isEqualTo(2);
            assertThat(row.eventProperty().get()).isEqualTo("VIEW CHANGED · epoch 2");
            assertThat(row.writeSetProperty().get()).isEqualTo("1, 2, 4, 5");
            assertThat(row.changeProperty().get()).isEqualTo("exclude replica 3");
            assertThat(row.proposerProperty().get()).isEqualTo("2");
            assertThat(row.agreedByProperty().get()).isEqualTo("1, 2, 4");
            assertThat(row.timeMillisProperty().get()).as("the earliest record").isEqualTo(4_999);
            assertThat(row.markProperty(1).get()).isEqualTo("agreed, member");
            assertThat(row.markProperty(2).get()).isEqualTo("proposed, agreed, member");
            assertThat(row.markProperty(3).get()).isEqualTo("excluded");
            assertThat(row.markProperty(5).get()).as("has not recorded it yet").isEmpty();
            assertThat(row.reasonProperty().get())
                    .isEqualTo("epoch 2 {1,2,4,5} agreed by replicas 1, 2, 4: exclude replica 3 (proposed by replica 2)");
            assertThat(row.details().lines()).hasSize(4);
        });
    }

    @Test
    void leasesLostAndRegainedAreRowsOfTheirOwnAmongTheViewsNewestFirst() {
        vm.eventsArrived(1, List.of(
                membership(1, 1_000, EventType.VIEW_CHANGED, "replica 1 now knows epoch 2 {1,2}; it is a member"),
                membership(1, 2_000, EventType.LEASE, "replica 1 lost its read lease (granted by 1 of 3 replicas, 2 needed); "
                        + "it serves no reads until it has one again"),
                membership(1, 3_000, EventType.LEASE, "replica 1 holds a read lease again"),
                membership(1, 4_000, EventType.VIEW_CHANGED, "something this console cannot read")), 0);
        assertThat(vm.membershipRows()).extracting(r -> r.eventProperty().get())
                .containsExactly("VIEW CHANGED", "LEASE", "LEASE", "VIEW CHANGED · epoch 2");
        assertThat(vm.membershipRows().get(0).reasonProperty().get()).isEqualTo("something this console cannot read");
        assertThat(vm.membershipRows().get(1).markProperty(1).get()).isEqualTo("lease held");
        assertThat(vm.membershipRows().get(2).markProperty(1).get()).isEqualTo("lease lost");
        assertThat(vm.membershipRows().get(2).reasonProperty().get()).startsWith("replica 1 lost its read lease (granted by 1 of 3");
        vm.setReplicas(List.of(1, 2, 3));
        assertThat(vm.membershipRows()).as("cleared with the cluster").isEmpty();
    }
}
