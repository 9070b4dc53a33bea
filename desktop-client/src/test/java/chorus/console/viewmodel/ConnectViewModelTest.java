package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.console.service.ReplicaUnreachableException;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectViewModelTest {

    private final FakeGateway gateway = new FakeGateway();
    private final List<String> stored = new ArrayList<>(List.of("10.0.0.9:7101"));
    private final RecentConnections store = new RecentConnections() {
        @Override
        public List<String> load() {
            return List.copyOf(stored);
        }

        @Override
        public void save(List<String> newestFirst) {
            stored.clear();
            stored.addAll(newestFirst);
        }
    };

    @Test
    void proposesTheClusterFilesFirstReplicaElseTheLastConnection() {
        assertThat(new ConnectViewModel(gateway, new DirectUiExecutor(), store, "127.0.0.1:7101").addressProperty().get())
                .isEqualTo("127.0.0.1:7101");
        assertThat(new ConnectViewModel(gateway, new DirectUiExecutor(), store, null).addressProperty().get())
                .isEqualTo("10.0.0.9:7101");
    }

    @Test
    void malformedAddressIsReportedAndNothingIsTried() {
        ConnectViewModel vm = new ConnectViewModel(gateway, new DirectUiExecutor(), store, null);
        vm.addressProperty().set("localhost");
        vm.connect(c -> { });
        assertThat(vm.errorProperty().get()).startsWith("'localhost' is not host:port");
        assertThat(gateway.calls).isEmpty();
    }

    @Test
    void unreachableReplicaIsReportedClearly() {
        ConnectViewModel vm = new ConnectViewModel(gateway, new DirectUiExecutor(), store, null);
        gateway.nextFailure = new ReplicaUnreachableException("cannot reach 127.0.0.1:9: connection refused", null);
        vm.addressProperty().set("127.0.0.1:9");
        vm.connect(c -> { });
        assertThat(vm.errorProperty().get()).isEqualTo("cannot reach 127.0.0.1:9: connection refused");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(stored).containsExactly("10.0.0.9:7101");
    }

    @Test
    void successfulConnectionIsRememberedFirst() {
        ConnectViewModel vm = new ConnectViewModel(gateway, new DirectUiExecutor(), store, null);
        AtomicReference<Object> connected = new AtomicReference<>();
        vm.addressProperty().set(" 127.0.0.1:7102 ");
        vm.connect(connected::set);
        assertThat(connected.get()).isEqualTo(gateway.membership);
        assertThat(stored).containsExactly("127.0.0.1:7102", "10.0.0.9:7101");
        assertThat(vm.recent()).containsExactly("127.0.0.1:7102", "10.0.0.9:7101");
        assertThat(vm.errorProperty().get()).isEmpty();
    }
}
