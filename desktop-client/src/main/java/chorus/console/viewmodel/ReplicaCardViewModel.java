package chorus.console.viewmodel;

import chorus.api.model.CatchUp;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReplicaStatus;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import java.time.Duration;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One replica's card: what it reported last, its role in the newest view, and the simulated-failure switch. */
public final class ReplicaCardViewModel {

    /** What the card shows as the replica's state. */
    public enum CardState {
        CONNECTING("connecting"), UP("up"), UNREACHABLE("unreachable"), SIMULATED_FAILURE("simulated failure"),
        /** Answers, but cannot write: it votes NO until its disk takes writes again (which it finds by itself). */
        DISK_FULL("disk full"),
        /** Answers, but its writes fail for another reason than space; the problem line says which. */
        WRITES_FAILING("writes failing");

        private final String label;

        CardState(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final int id;
    private final String address;
    private final ObjectProperty<CardState> state = new SimpleObjectProperty<>(CardState.CONNECTING);
    private final StringProperty stateText = new SimpleStringProperty(CardState.CONNECTING.label());
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty uptime = new SimpleStringProperty("");
    private final LongProperty keyCount = new SimpleLongProperty();
    private final IntegerProperty inFlight = new SimpleIntegerProperty();
    private final IntegerProperty inDoubt = new SimpleIntegerProperty();
    private final LongProperty commits = new SimpleLongProperty();
    private final LongProperty aborts = new SimpleLongProperty();
    private final LongProperty timeouts = new SimpleLongProperty();
    private final BooleanProperty failureSwitch = new SimpleBooleanProperty(false);
    private final BooleanProperty switchBusy = new SimpleBooleanProperty(false);
    private final ObjectProperty<MembershipRole> role = new SimpleObjectProperty<>();
    private final StringProperty roleText = new SimpleStringProperty("");
    private final StringProperty membershipDetail = new SimpleStringProperty("");
    private final StringProperty membershipDetailFull = new SimpleStringProperty("");
    private final BooleanProperty catchingUp = new SimpleBooleanProperty(false);
    private final DoubleProperty catchUpFraction = new SimpleDoubleProperty(0);
    private final StringProperty catchUpText = new SimpleStringProperty("");
    private final BiConsumer<ReplicaCardViewModel, Boolean> switchRequest;
    private boolean updatingFromReplica;

    /** {@code switchRequest} is told when the operator flips the switch (not when a poll does). */
    public ReplicaCardViewModel(int id, String address, BiConsumer<ReplicaCardViewModel, Boolean> switchRequest) {
        this.id = id;
        this.address = address;
        this.switchRequest = switchRequest;
        failureSwitch.addListener((obs, was, now) -> {
            if (!updatingFromReplica && now != null && !now.equals(was)) {
                switchRequest.accept(this, now);
            }
        });
    }

    public void apply(ReplicaSnapshot snapshot) {
        ReplicaStatus s = snapshot.status();
        if (s != null) {
            keyCount.set(s.keyCount());
            inFlight.set(s.inFlight());
            inDoubt.set(s.inDoubt());
            commits.set(s.commits());
            aborts.set(s.aborts());
            timeouts.set(s.timeouts());
        }
        if (snapshot.health() == ReplicaHealth.UP && s != null) {
            problem.set(s.storageProblem());
            uptime.set("up " + formatUptime(Duration.ofMillis(s.uptimeMillis())));
            setState(stateOf(s));
            if (!switchBusy.get()) {
                setSwitchFromReplica(s.simulatedFailure());
            }
        } else if (snapshot.health() == ReplicaHealth.UNREACHABLE) {
            problem.set(snapshot.problem());
            uptime.set("");
            setState(CardState.UNREACHABLE);
        }
    }

    /**
     * The replica's role in the newest view (null while no replica reported one), and what it
     * reported itself at its last answered poll (null while it does not answer): the view it knows,
     * its read lease and, while it copies the data to rejoin, its catch-up.
     */
    public void applyMembership(MembershipRole newRole, MembershipStatus reported, long newestEpoch) {
        role.set(newRole);
        roleText.set(newRole == null ? "" : newRole.label());
        CatchUp c = reported == null ? null : reported.catchUp();
        catchingUp.set(c != null);
        catchUpFraction.set(c == null ? 0 : c.fraction());
        catchUpText.set(c == null ? "" : c.describe());
        membershipDetail.set(reported == null ? "" : detail(reported, newestEpoch, false));
        membershipDetailFull.set(reported == null ? "" : detail(reported, newestEpoch, true));
    }

    /**
     * "epoch 2 · lease held", and in full "knows epoch 2 {1,2,4,5} · read lease held": a replica
     * that missed a change still believes in the view before, and says so.
     */
    static String detail(MembershipStatus m, long newestEpoch, boolean full) {
        long epoch = m.view().epoch();
        String behind = epoch < newestEpoch ? " (behind epoch " + newestEpoch + ")" : "";
        if (!full) {
            return "epoch " + epoch + behind + " · " + (m.leaseHeld() ? "lease held" : "no lease");
        }
        return "knows " + m.view().text() + behind + " · "
                + (m.leaseHeld() ? "read lease held" : "no read lease" + (m.leaseProblem().isEmpty() ? "" : ": " + m.leaseProblem()));
    }

    /** The simulated failure switch first (an operator's choice), then a storage problem. */
    private static CardState stateOf(ReplicaStatus s) {
        if (s.simulatedFailure()) {
            return CardState.SIMULATED_FAILURE;
        }
        if (s.storageFailing()) {
            return s.storageProblem().startsWith(CardState.DISK_FULL.label()) ? CardState.DISK_FULL : CardState.WRITES_FAILING;
        }
        return CardState.UP;
    }

    /** The switch request finished (successfully or not); polls may move the switch again. */
    public void switchSettled(boolean actual, String failure) {
        switchBusy.set(false);
        setSwitchFromReplica(actual);
        if (failure != null) {
            problem.set("switch failed: " + failure);
        } else {
            setState(actual ? CardState.SIMULATED_FAILURE : CardState.UP);
        }
    }

    void markSwitchBusy() {
        switchBusy.set(true);
    }

    private void setSwitchFromReplica(boolean on) {
        updatingFromReplica = true;
        try {
            failureSwitch.set(on);
        } finally {
            updatingFromReplica = false;
        }
    }

    private void setState(CardState s) {
        state.set(s);
        stateText.set(s.label());
    }

    static String formatUptime(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    public int id() {
        return id;
    }

    public String address() {
        return address;
    }

    public ReadOnlyObjectProperty<CardState> stateProperty() {
        return state;
    }

    public ReadOnlyStringProperty stateTextProperty() {
        return stateText;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyStringProperty uptimeProperty() {
        return uptime;
    }

    public ReadOnlyLongProperty keyCountProperty() {
        return keyCount;
    }

    public ReadOnlyIntegerProperty inFlightProperty() {
        return inFlight;
    }

    public ReadOnlyIntegerProperty inDoubtProperty() {
        return inDoubt;
    }

    public ReadOnlyLongProperty commitsProperty() {
        return commits;
    }

    public ReadOnlyLongProperty abortsProperty() {
        return aborts;
    }

    public ReadOnlyLongProperty timeoutsProperty() {
        return timeouts;
    }

    /** Bound both ways to the card's toggle. */
    public BooleanProperty failureSwitchProperty() {
        return failureSwitch;
    }

    public ReadOnlyBooleanProperty switchBusyProperty() {
        return switchBusy;
    }

    /** Member, learner or excluded in the newest view; null while no replica reported a view. */
    public ReadOnlyObjectProperty<MembershipRole> roleProperty() {
        return role;
    }

    public ReadOnlyStringProperty roleTextProperty() {
        return roleText;
    }

    /** The epoch this replica knows and whether it holds a read lease, as it said at its last answered poll. */
    public ReadOnlyStringProperty membershipDetailProperty() {
        return membershipDetail;
    }

    /** The same with the view's members and why it holds no lease, for a tooltip. */
    public ReadOnlyStringProperty membershipDetailFullProperty() {
        return membershipDetailFull;
    }

    /** True while the replica copies the data from a member (a learner, or a member finishing its catch-up). */
    public ReadOnlyBooleanProperty catchingUpProperty() {
        return catchingUp;
    }

    /** How much of the data the catch-up copied, 0..1. */
    public ReadOnlyDoubleProperty catchUpFractionProperty() {
        return catchUpFraction;
    }

    /** "copying from replica 2: 1,234 of 10,000 keys" and the like. */
    public ReadOnlyStringProperty catchUpTextProperty() {
        return catchUpText;
    }
}
