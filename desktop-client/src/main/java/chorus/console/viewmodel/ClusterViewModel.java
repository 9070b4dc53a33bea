package chorus.console.viewmodel;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.View;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.util.UiExecutor;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The cluster view: one card per replica of the connected cluster, and the membership header and banner. */
public final class ClusterViewModel {

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final LongSupplier clock;
    private final MembershipTracker tracker = new MembershipTracker();
    private final MembershipViewModel membership;
    private final ObservableList<ReplicaCardViewModel> cards = FXCollections.observableArrayList();
    private final SimpleStringProperty summary = new SimpleStringProperty("not connected");
    private final SimpleBooleanProperty allReported = new SimpleBooleanProperty(false);
    private final Set<Integer> reported = new HashSet<>();

    public ClusterViewModel(ClusterGateway gateway, UiExecutor executor, DialogService dialogs, LongSupplier clock) {
        this.gateway = gateway;
        this.executor = executor;
        this.clock = clock;
        this.membership = new MembershipViewModel(gateway, executor, dialogs, tracker);
    }

    public void setMembership(ClusterConfig config) {
        reported.clear();
        allReported.set(false);
        tracker.clear();
        membership.clear();
        cards.setAll(config.replicas().stream()
                .map((ReplicaAddress a) -> new ReplicaCardViewModel(a.id(), a.hostPort(), this::requestFailureSwitch))
                .toList());
        updateSummary();
    }

    public void apply(ReplicaSnapshot snapshot) {
        for (ReplicaCardViewModel card : cards) {
            if (card.id() == snapshot.id()) {
                card.apply(snapshot);
                tracker.apply(snapshot);
                if (snapshot.health() != ReplicaHealth.UNKNOWN) {
                    reported.add(card.id());
                }
            }
        }
        allReported.set(!cards.isEmpty() && reported.size() == cards.size());
        updateSummary();
        updateMembership();
    }

    /** Called every second, so that the banner counts the seconds of an outage between polls. */
    public void tick() {
        updateMembership();
    }

    private void updateMembership() {
        membership.update(clock.getAsLong());
        long newestEpoch = tracker.newestView().map(View::epoch).orElse(0L);
        for (ReplicaCardViewModel card : cards) {
            card.applyMembership(tracker.role(card.id()).orElse(null), tracker.reported(card.id()).orElse(null), newestEpoch);
        }
    }

    private void requestFailureSwitch(ReplicaCardViewModel card, boolean on) {
        card.markSwitchBusy();
        executor.submit(() -> {
            gateway.setSimulatedFailure(card.id(), on);
            return on;
        }, actual -> card.switchSettled(actual, null), failure -> card.switchSettled(!on, Failures.describe(failure)));
    }

    private void updateSummary() {
        long up = cards.stream().filter(c -> c.stateProperty().get() == ReplicaCardViewModel.CardState.UP).count();
        long failed = cards.stream().filter(c -> c.stateProperty().get() == ReplicaCardViewModel.CardState.SIMULATED_FAILURE).count();
        long down = cards.stream().filter(c -> c.stateProperty().get() == ReplicaCardViewModel.CardState.UNREACHABLE).count();
        long cannotWrite = cards.stream().filter(c -> c.stateProperty().get() == ReplicaCardViewModel.CardState.DISK_FULL
                || c.stateProperty().get() == ReplicaCardViewModel.CardState.WRITES_FAILING).count();
        summary.set(cards.isEmpty() ? "not connected"
                : up + " up, " + failed + " in simulated failure, " + down + " unreachable"
                        + (cannotWrite == 0 ? "" : ", " + cannotWrite + " cannot write (disk full)") + " of " + cards.size());
    }

    public MembershipViewModel membership() {
        return membership;
    }

    public ObservableList<ReplicaCardViewModel> cards() {
        return cards;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** True once every replica answered or was found unreachable at least once. */
    public ReadOnlyBooleanProperty allReportedProperty() {
        return allReported;
    }
}
