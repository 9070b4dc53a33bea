package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.config.ClusterConfig;
import chorus.api.model.View;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.service.ReplicaUnreachableException;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import chorus.console.testing.ScriptedDialogs;
import chorus.console.testing.Snapshots;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipViewModelTest {

    private final Snapshots snapshots = new Snapshots(ClusterConfig.localhost(5, 7101, null));
    private final FakeGateway gateway = new FakeGateway();
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final MembershipTracker tracker = new MembershipTracker();
    private final MembershipViewModel vm = new MembershipViewModel(gateway, new DirectUiExecutor(), dialogs, tracker);
    private final View epoch1 = View.initial(List.of(1, 2, 3, 4, 5));

    @BeforeEach
    void replica3StopsAnswering() {
        for (int id = 1; id <= 5; id++) {
            tracker.apply(snapshots.up(id, epoch1, 1_000));
        }
        tracker.apply(snapshots.down(3, snapshots.up(3, epoch1, 1_000), 2_000));
        vm.update(9_000);
    }

    @Test
    void theBannerNamesTheUnreachableMemberAndOffersToExcludeIt() {
        assertThat(vm.viewTextProperty().get()).isEqualTo("epoch 1 · writes on 1, 2, 3, 4, 5");
        assertThat(vm.outageProperty().get()).isEqualTo("writes need every member; replica 3 unreachable for 7 s");
        assertThat(vm.excludeTargetProperty().get()).isEqualTo(3);
        assertThat(vm.readmitTargetProperty().get()).isNull();
        assertThat(vm.showingProperty().get()).isTrue();
        vm.update(10_000);
        assertThat(vm.outageProperty().get()).endsWith("for 8 s");
    }

    @Test
    void anExclusionIsConfirmedThenAskedOfAnotherMemberAndItsOutcomeShown() {
        vm.exclude();
        assertThat(dialogs.asked).singleElement().asString()
                .startsWith("Exclude replica 3: ").contains("Writes then commit on replicas 1, 2, 4, 5 only");
        assertThat(gateway.calls).containsExactly("exclude 3 asking 1");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.failedProperty().get()).isFalse();
        assertThat(vm.messageProperty().get())
                .isEqualTo("replica 3 excluded: epoch 2 {1,2,4,5} agreed; writes now commit on 1, 2, 4, 5");

        // The next poll brings the new view: the banner no longer asks for anything, the outcome stays until dismissed.
        tracker.apply(snapshots.up(1, gateway.view, 10_000));
        vm.update(10_000);
        assertThat(vm.viewTextProperty().get()).isEqualTo("epoch 2 · writes on 1, 2, 4, 5");
        assertThat(vm.outageProperty().get()).isEmpty();
        assertThat(vm.excludeTargetProperty().get()).isNull();
        assertThat(vm.showingProperty().get()).isTrue();
        vm.dismiss();
        assertThat(vm.showingProperty().get()).isFalse();
    }

    @Test
    void aCancelledExclusionSendsNothing() {
        dialogs.answer = false;
        vm.exclude();
        assertThat(gateway.calls).isEmpty();
        assertThat(vm.messageProperty().get()).isEqualTo("exclusion of replica 3 cancelled; nothing was sent");
    }

    @Test
    void aProposerThatCannotBeReachedIsPassedOverForTheNext() {
        gateway.nextFailure = new ReplicaUnreachableException("replica 1 (127.0.0.1:7101) is unreachable: connection refused", null);
        vm.exclude();
        assertThat(gateway.calls).containsExactly("exclude 3 asking 1", "exclude 3 asking 2");
        assertThat(vm.messageProperty().get()).startsWith("replica 3 excluded: epoch 2");
    }

    @Test
    void aRefusedExclusionSaysWhy() {
        gateway.nextFailure = new InvalidRequestException("excluding replica 3 would leave {1,2}, fewer than a majority (3 of 5)");
        vm.exclude();
        assertThat(gateway.calls).as("a refusal is an answer: nobody else is asked").containsExactly("exclude 3 asking 1");
        assertThat(vm.failedProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEqualTo(
                "exclusion of replica 3 failed: rejected: excluding replica 3 would leave {1,2}, fewer than a majority (3 of 5)");
    }

    @Test
    void anExcludedReplicaThatAnswersCanBeAskedToRejoinAndARefusalIsShown() {
        View epoch2 = new View(2, List.of(1, 2, 4, 5));
        ReplicaSnapshot back = snapshots.up(3, epoch2, 12_000);
        tracker.apply(back);
        tracker.apply(snapshots.up(1, epoch2, 12_000));
        vm.update(12_000);
        assertThat(vm.excludeTargetProperty().get()).isNull();
        assertThat(vm.readmitTargetProperty().get()).isEqualTo(3);
        assertThat(vm.readmitNoteProperty().get()).startsWith("replica 3 is excluded from epoch 2 {1,2,4,5}");

        gateway.nextFailure = new ViewChangeException("replica 3 cannot be readmitted yet: catch-up (copying the data from a member) "
                + "is not in this version");
        vm.readmit();
        assertThat(dialogs.asked).singleElement().asString().startsWith("Readmit replica 3: ");
        assertThat(gateway.calls).containsExactly("readmit 3");
        assertThat(vm.failedProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEqualTo("readmission of replica 3 failed: replica 3 cannot be readmitted yet: "
                + "catch-up (copying the data from a member) is not in this version");
    }
}
