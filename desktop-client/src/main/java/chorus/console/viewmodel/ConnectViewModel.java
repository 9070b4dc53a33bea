package chorus.console.viewmodel;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.util.UiExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The connect dialog: one replica's host:port, the recent ones, and why a connection failed. */
public final class ConnectViewModel {

    static final int MAX_RECENT = 8;

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final RecentConnections recentStore;
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final ObservableList<String> recent = FXCollections.observableArrayList();

    public ConnectViewModel(ClusterGateway gateway, UiExecutor executor, RecentConnections recentStore, String defaultAddress) {
        this.gateway = gateway;
        this.executor = executor;
        this.recentStore = recentStore;
        recent.setAll(recentStore.load());
        address.set(defaultAddress != null && !defaultAddress.isBlank() ? defaultAddress
                : recent.isEmpty() ? "" : recent.get(0));
    }

    public StringProperty addressProperty() {
        return address;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ObservableList<String> recent() {
        return recent;
    }

    /**
     * Checks the address, then connects in the background; {@code onConnected} runs on the UI
     * thread with the cluster's membership. A bad address or an unreachable replica sets the error.
     */
    public void connect(Consumer<ClusterConfig> onConnected) {
        String text = address.get() == null ? "" : address.get().trim();
        if (text.isEmpty()) {
            error.set("enter a replica's address as host:port, for example 127.0.0.1:7101");
            return;
        }
        try {
            ReplicaAddress.parse(1, text);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage().replace("replica 1 has ", "the address has ") + "; expected host:port, for example 127.0.0.1:7101");
            return;
        }
        if (busy.get()) {
            return;
        }
        busy.set(true);
        error.set("");
        executor.submit(() -> gateway.connect(text), config -> {
            busy.set(false);
            remember(text);
            onConnected.accept(config);
        }, failure -> {
            busy.set(false);
            error.set(Failures.describe(failure));
        });
    }

    private void remember(String hostPort) {
        List<String> list = new ArrayList<>(recent);
        list.remove(hostPort);
        list.add(0, hostPort);
        while (list.size() > MAX_RECENT) {
            list.remove(list.size() - 1);
        }
        recent.setAll(list);
        recentStore.save(List.copyOf(list));
    }
}
