package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.model.CatchUp;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.View;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import chorus.console.testing.ScriptedDialogs;
import java.rmi.ConnectException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterViewModelTest {

    private final FakeGateway gateway = new FakeGateway();
    private final ClusterViewModel vm = new ClusterViewModel(gateway, new DirectUiExecutor(), new ScriptedDialogs(), () -> 0L);
    private final ClusterConfig config = ClusterConfig.localhost(3, 7101, null);

    @BeforeEach
    void setUp() {
        vm.setMembership(config);
    }

    private ReplicaSnapshot up(int id, boolean failed, long keys) {
        ReplicaStatus s = new ReplicaStatus(id, "127.0.0.1:710" + id, 1000, 65_000, keys, 1, 0, 10, 2, 1, failed, 900, 2000, 5, 1);
        return new ReplicaSnapshot(config.require(id), ReplicaHealth.UP, s, "", 2000);
    }

    @Test
    void cardShowsCountersAndState() {
        vm.apply(up(2, false, 42));
        ReplicaCardViewModel card = vm.cards().get(1);
        assertThat(card.stateProperty().get()).isEqualTo(ReplicaCardViewModel.CardState.UP);
        assertThat(card.keyCountProperty().get()).isEqualTo(42);
        assertThat(card.commitsProperty().get()).isEqualTo(10);
        assertThat(card.uptimeProperty().get()).isEqualTo("up 1 min 5 s");
        assertThat(vm.allReportedProperty().get()).isFalse();
    }

    @Test
    void aReplicaWhoseDiskIsFullShowsDiskFullWithTheCauseUntilItWritesAgain() {
        ReplicaStatus full = new ReplicaStatus(3, "127.0.0.1:7103", 1000, 65_000, 3, 0, 0, 10, 2, 1, false, 900, 2000, 5, 1,
                "disk full: While appending to file: /data/000008.log: No space left on device");
        vm.apply(new ReplicaSnapshot(config.require(3), ReplicaHealth.UP, full, "", 2000));
        ReplicaCardViewModel card = vm.cards().get(2);
        assertThat(card.stateProperty().get()).isEqualTo(ReplicaCardViewModel.CardState.DISK_FULL);
        assertThat(card.stateTextProperty().get()).isEqualTo("disk full");
        assertThat(card.problemProperty().get()).endsWith("No space left on device");
        assertThat(vm.summaryProperty().get()).contains("1 cannot write (disk full)");
        vm.apply(up(3, false, 4));
        assertThat(card.stateTextProperty().get()).isEqualTo("up");
        assertThat(card.problemProperty().get()).isEmpty();
    }

    @Test
    void unreachableReplicaKeepsItsLastCountersAndSaysWhy() {
        vm.apply(up(1, false, 7));
        vm.apply(new ReplicaSnapshot(config.require(1), ReplicaHealth.UNREACHABLE, up(1, false, 7).status(),
                "unreachable: connection refused", 3000));
        ReplicaCardViewModel card = vm.cards().get(0);
        assertThat(card.stateTextProperty().get()).isEqualTo("unreachable");
        assertThat(card.problemProperty().get()).isEqualTo("unreachable: connection refused");
        assertThat(card.keyCountProperty().get()).isEqualTo(7);
        vm.apply(up(1, false, 8));
        assertThat(card.stateTextProperty().get()).isEqualTo("up");
        assertThat(card.problemProperty().get()).isEmpty();
    }

    @Test
    void flippingTheSwitchAsksTheReplicaButAPollDoesNot() {
        ReplicaCardViewModel card = vm.cards().get(2);
        vm.apply(up(3, true, 0));
        assertThat(card.failureSwitchProperty().get()).isTrue();
        assertThat(gateway.calls).isEmpty();
        card.failureSwitchProperty().set(false);
        assertThat(gateway.calls).containsExactly("failure 3 false");
        assertThat(card.stateProperty().get()).isEqualTo(ReplicaCardViewModel.CardState.UP);
    }

    @Test
    void aFailedSwitchGoesBackAndSaysWhy() {
        ReplicaCardViewModel card = vm.cards().get(0);
        vm.apply(up(1, false, 0));
        gateway.nextFailure = new ConnectException("refused");
        card.failureSwitchProperty().set(true);
        assertThat(card.failureSwitchProperty().get()).isFalse();
        assertThat(card.problemProperty().get()).startsWith("switch failed: unreachable");
    }

    @Test
    void allReportedOnceEveryReplicaAnsweredOrFailed() {
        vm.apply(up(1, false, 0));
        vm.apply(up(2, false, 0));
        vm.apply(new ReplicaSnapshot(config.require(3), ReplicaHealth.UNREACHABLE, null, "down", 1));
        assertThat(vm.allReportedProperty().get()).isTrue();
        assertThat(vm.summaryProperty().get()).isEqualTo("2 up, 0 in simulated failure, 1 unreachable of 3");
    }

    @Test
    void eachCardShowsItsRoleInTheNewestViewAndALearnersProgress() {
        chorus.console.testing.Snapshots snapshots = new chorus.console.testing.Snapshots(config);
        View epoch2 = new View(2, List.of(1, 2));
        vm.apply(snapshots.up(1, epoch2, 2000));
        vm.apply(snapshots.up(2, View.initial(List.of(1, 2, 3)), 2000));
        vm.apply(snapshots.up(3, epoch2, 2000, false, new CatchUp(CatchUp.Phase.SNAPSHOT, 1, 250, 1000, "")));
        ReplicaCardViewModel one = vm.cards().get(0);
        ReplicaCardViewModel two = vm.cards().get(1);
        ReplicaCardViewModel three = vm.cards().get(2);
        assertThat(one.roleProperty().get()).isEqualTo(MembershipRole.MEMBER);
        assertThat(one.roleTextProperty().get()).isEqualTo("member");
        assertThat(one.membershipDetailProperty().get()).isEqualTo("epoch 2 · lease held");
        assertThat(two.membershipDetailProperty().get()).isEqualTo("epoch 1 (behind epoch 2) · lease held");
        assertThat(two.membershipDetailFullProperty().get()).isEqualTo("knows epoch 1 {1,2,3} (behind epoch 2) · read lease held");
        assertThat(one.catchingUpProperty().get()).isFalse();
        assertThat(three.roleTextProperty().get()).isEqualTo("learner");
        assertThat(three.catchingUpProperty().get()).isTrue();
        assertThat(three.catchUpFractionProperty().get()).isEqualTo(0.25);
        assertThat(three.catchUpTextProperty().get()).isEqualTo("copying from replica 1: 250 of 1,000 keys");
        assertThat(vm.membership().viewTextProperty().get()).isEqualTo("epoch 2 · writes on 1, 2");

        vm.apply(new ReplicaSnapshot(config.require(3), ReplicaHealth.UNREACHABLE, null, "down", 3000,
                snapshots.up(3, epoch2, 2000).membership()));
        assertThat(three.roleTextProperty().get()).as("excluded, and no progress known while it is down").isEqualTo("excluded");
        assertThat(three.catchingUpProperty().get()).isFalse();
        assertThat(three.membershipDetailProperty().get()).isEmpty();
    }
}
