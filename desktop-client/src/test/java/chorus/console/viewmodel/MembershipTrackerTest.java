package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.model.CatchUp;
import chorus.api.model.View;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.testing.Snapshots;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipTrackerTest {

    private final Snapshots snapshots = new Snapshots(ClusterConfig.localhost(5, 7101, null));
    private final MembershipTracker tracker = new MembershipTracker();
    private final View epoch1 = View.initial(List.of(1, 2, 3, 4, 5));
    private final View epoch2 = new View(2, List.of(1, 2, 4, 5));

    @BeforeEach
    void everyReplicaAnswersInEpoch1() {
        for (int id = 1; id <= 5; id++) {
            tracker.apply(snapshots.up(id, epoch1, 1_000));
        }
    }

    @Test
    void theHeaderNamesTheEpochAndTheWriteSet() {
        assertThat(tracker.viewText()).isEqualTo("epoch 1 · writes on 1, 2, 3, 4, 5");
        assertThat(tracker.outageText(1_000)).isEmpty();
    }

    @Test
    void theBannerCountsTheSecondsFromTheFirstFailedPoll() {
        ReplicaSnapshot last = snapshots.up(3, epoch1, 2_000);
        tracker.apply(last);
        tracker.apply(snapshots.down(3, last, 2_300));
        assertThat(tracker.outageText(2_300)).isEqualTo("writes need every member; replica 3 unreachable for 0 s");
        // Later failed polls do not restart the count.
        tracker.apply(snapshots.down(3, last, 5_000));
        tracker.apply(snapshots.down(3, last, 9_200));
        assertThat(tracker.outageText(9_400)).isEqualTo("writes need every member; replica 3 unreachable for 7 s");
        assertThat(tracker.outages()).extracting(MembershipTracker.Outage::replica).containsExactly(3);
        // Back: the banner goes, and a new outage counts from its own first failed poll.
        tracker.apply(snapshots.up(3, epoch1, 10_000));
        assertThat(tracker.outageText(10_000)).isEmpty();
        tracker.apply(snapshots.down(3, last, 12_000));
        assertThat(tracker.outageText(13_999)).endsWith("replica 3 unreachable for 1 s");
    }

    @Test
    void simulatedFailureBlocksWritesTooAndSeveralOutagesAreListedLongestFirst() {
        tracker.apply(snapshots.up(4, epoch1, 2_000, true, null));
        ReplicaSnapshot last2 = snapshots.up(2, epoch1, 1_500);
        tracker.apply(snapshots.down(2, last2, 3_000));
        assertThat(tracker.outageText(6_000))
                .isEqualTo("writes need every member; replica 4 in simulated failure for 4 s, replica 2 unreachable for 3 s");
        assertThat(tracker.outages()).extracting(MembershipTracker.Outage::replica).containsExactly(4, 2);
        // A replica switched back to normal is no outage, even though it answered all along.
        tracker.apply(snapshots.up(4, epoch1, 6_100));
        assertThat(tracker.outageText(6_100)).isEqualTo("writes need every member; replica 2 unreachable for 3 s");
    }

    @Test
    void anExcludedReplicaThatIsDownBlocksNoWrite() {
        ReplicaSnapshot last = snapshots.up(3, epoch1, 2_000);
        tracker.apply(snapshots.down(3, last, 2_500));
        tracker.apply(snapshots.up(1, epoch2, 8_000));
        assertThat(tracker.viewText()).as("the newest view any replica reports").isEqualTo("epoch 2 · writes on 1, 2, 4, 5");
        assertThat(tracker.outageText(9_000)).isEmpty();
        assertThat(tracker.role(3)).contains(MembershipRole.EXCLUDED);
        assertThat(tracker.readmittable()).as("not while it does not answer").isEmpty();
    }

    @Test
    void rolesFollowTheNewestViewEvenBeforeTheReplicaLearnsIt() {
        tracker.apply(snapshots.up(2, epoch2, 3_000));
        // Replica 3 restarted and still believes in epoch 1: it is excluded all the same.
        tracker.apply(snapshots.up(3, epoch1, 3_100));
        assertThat(tracker.role(3)).contains(MembershipRole.EXCLUDED);
        assertThat(tracker.role(4)).contains(MembershipRole.MEMBER);
        assertThat(tracker.readmittable()).containsExactly(3);
        assertThat(tracker.readmitText(3))
                .isEqualTo("replica 3 is excluded from epoch 2 {1,2,4,5}: it serves no reads or writes until it is readmitted");

        CatchUp copying = new CatchUp(CatchUp.Phase.SNAPSHOT, 2, 1_234, 10_000, "");
        tracker.apply(snapshots.up(3, epoch2, 3_200, false, copying));
        assertThat(tracker.role(3)).contains(MembershipRole.LEARNER);
        assertThat(tracker.catchUp(3)).contains(copying);
        assertThat(tracker.readmitText(3)).isEqualTo("replica 3 is a learner: copying from replica 2: 1,234 of 10,000 keys");
    }

    @Test
    void noRoleIsShownBeforeAnyReplicaReportedAView() {
        MembershipTracker fresh = new MembershipTracker();
        assertThat(fresh.role(1)).isEmpty();
        assertThat(fresh.viewText()).isEmpty();
    }

    @Test
    void theChangeIsProposedByAWorkingMemberOtherThanTheFailingOne() {
        ReplicaSnapshot last1 = snapshots.up(1, epoch1, 1_000);
        tracker.apply(snapshots.down(1, last1, 2_000));
        tracker.apply(snapshots.up(2, epoch1, 2_000, true, null));
        assertThat(tracker.proposersFor(3)).containsExactly(4, 5);
        assertThat(tracker.proposersFor(4)).containsExactly(3, 5);
    }
}
