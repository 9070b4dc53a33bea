package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.TxId;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InDoubtAndMetricsViewModelTest {

    private final FakeGateway gateway = new FakeGateway();
    private Optional<String> note = Optional.of("coordinator 1 lost its disk");

    private final DialogService dialogs = new DialogService() {
        @Override
        public boolean confirm(String title, String question) {
            return true;
        }

        @Override
        public Optional<String> confirmWithNote(String title, String question) {
            return note;
        }
    };

    @Test
    void inDoubtRowsShowAgeAndKeysAndAForcedDecisionIsConfirmedAndRecorded() {
        InDoubtViewModel vm = new InDoubtViewModel(gateway, new DirectUiExecutor(), dialogs, () -> 70_000);
        TxId tx = new TxId(1, 1, 4);
        vm.replicaInDoubt(3, List.of(new InDoubtTransaction(tx, 1, List.of("a", "b"), "put a, put b", 5_000, "asked 1: refused")));
        assertThat(vm.rows()).hasSize(1);
        assertThat(vm.rows().get(0).age()).isEqualTo("1 min 5 s");
        assertThat(vm.rows().get(0).keys()).isEqualTo("a, b");

        vm.forceCommit();
        assertThat(vm.messageProperty().get()).isEqualTo("select a transaction first");
        vm.selectedProperty().set(vm.rows().get(0));
        note = Optional.empty();
        vm.forceAbort();
        assertThat(gateway.calls).isEmpty();
        note = Optional.of("coordinator 1 lost its disk");
        vm.forceAbort();
        assertThat(gateway.calls).containsExactly("force 3 t1.1.4 ABORT coordinator 1 lost its disk");
        assertThat(vm.actions()).singleElement().asString().contains("force ABORT of t1.1.4 on replica 3", "coordinator 1 lost its disk");
    }

    @Test
    void ratesAreSummedOverReplicasAndLatencyIsTheWorst() {
        MetricsViewModel vm = new MetricsViewModel();
        ClusterConfig c = ClusterConfig.localhost(2, 7101, null);
        vm.apply(snapshot(c, 1, 100, 5, 800, 1500));
        vm.apply(snapshot(c, 2, 50, 0, 1200, 3000));
        vm.sample(10_000);
        assertThat(vm.samples()).isEmpty();
        vm.apply(snapshot(c, 1, 120, 6, 800, 1500));
        vm.apply(snapshot(c, 2, 60, 0, 1200, 3000));
        vm.sample(12_000);
        MetricSample s = vm.samples().get(0);
        assertThat(s.commitsPerSecond()).isEqualTo(15.0);
        assertThat(s.abortsPerSecond()).isEqualTo(0.5);
        assertThat(s.p50Millis()).isEqualTo(1.2);
        assertThat(s.p99Millis()).isEqualTo(3.0);
        assertThat(s.second()).isEqualTo(2.0);
    }

    private static ReplicaSnapshot snapshot(ClusterConfig c, int id, long commits, long aborts, long p50, long p99) {
        ReplicaStatus s = new ReplicaStatus(id, "", 1, 1, 0, 0, 0, commits, aborts, 0, false, p50, p99, 0, 1);
        return new ReplicaSnapshot(c.require(id), ReplicaHealth.UP, s, "", 0);
    }
}
