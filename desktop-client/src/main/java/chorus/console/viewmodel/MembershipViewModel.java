package chorus.console.viewmodel;

import chorus.api.model.View;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.service.ReplicaUnreachableException;
import chorus.console.util.UiExecutor;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster header (epoch and write set) and the membership banner: while a member is failing,
 * writes fail, and the banner says which and offers to exclude it; an excluded replica that answers
 * can be asked to rejoin. Both actions are confirmed first and run in the background; the banner
 * shows what is under way and how it ended, and the view itself changes at the next poll.
 */
public final class MembershipViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipViewModel.class);

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final DialogService dialogs;
    private final MembershipTracker tracker;
    private final StringProperty viewText = new SimpleStringProperty("");
    private final StringProperty outage = new SimpleStringProperty("");
    private final ObjectProperty<Integer> excludeTarget = new SimpleObjectProperty<>();
    private final StringProperty readmitNote = new SimpleStringProperty("");
    private final ObjectProperty<Integer> readmitTarget = new SimpleObjectProperty<>();
    private final SimpleBooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final SimpleBooleanProperty failed = new SimpleBooleanProperty(false);
    private final BooleanBinding showing;

    public MembershipViewModel(ClusterGateway gateway, UiExecutor executor, DialogService dialogs, MembershipTracker tracker) {
        this.gateway = gateway;
        this.executor = executor;
        this.dialogs = dialogs;
        this.tracker = tracker;
        this.showing = Bindings.createBooleanBinding(() -> !outage.get().isEmpty() || !readmitNote.get().isEmpty()
                || busy.get() || !message.get().isEmpty(), outage, readmitNote, busy, message);
    }

    /** Takes what the tracker now knows, with {@code nowMillis} for the seconds a member has been failing. */
    public void update(long nowMillis) {
        viewText.set(tracker.viewText());
        outage.set(tracker.outageText(nowMillis));
        List<MembershipTracker.Outage> outages = tracker.outages();
        // One button, for the member failing longest: after its exclusion the banner offers the next.
        excludeTarget.set(outages.isEmpty() ? null : outages.get(0).replica());
        List<Integer> readmittable = tracker.readmittable();
        readmitTarget.set(readmittable.isEmpty() ? null : readmittable.get(0));
        readmitNote.set(readmittable.isEmpty() ? "" : tracker.readmitText(readmittable.get(0)));
    }

    public void clear() {
        viewText.set("");
        outage.set("");
        excludeTarget.set(null);
        readmitTarget.set(null);
        readmitNote.set("");
        message.set("");
    }

    /** Confirmed, then asks a working member to have the failing one excluded. */
    public void exclude() {
        Integer target = excludeTarget.get();
        if (target == null || busy.get()) {
            return;
        }
        List<Integer> proposers = tracker.proposersFor(target);
        if (proposers.isEmpty()) {
            report(true, "cannot exclude replica " + target + ": no other member answers to propose the change");
            return;
        }
        String rest = tracker.newestView().map(v -> MembershipTracker.list(v.without(target).members())).orElse("the others");
        if (!dialogs.confirm("Exclude replica " + target, "Have a majority of the replicas agree a view without replica " + target
                + "?\n\nWrites then commit on replicas " + rest + " only, and replica " + target
                + " serves no reads or writes until it is readmitted. The change waits until replica " + target
                + "'s read lease has run out (a few seconds).")) {
            report(false, "exclusion of replica " + target + " cancelled; nothing was sent");
            return;
        }
        start("excluding replica " + target + ": replica " + proposers.get(0) + " asks a majority to agree a view without it"
                + " once its read lease has run out...");
        executor.submit(() -> excludeThroughFirstAnswering(target, proposers),
                view -> done("replica " + target + " excluded: " + view.text() + " agreed; writes now commit on "
                        + MembershipTracker.list(view.members())),
                failure -> report(true, "exclusion of replica " + target + " failed: " + Failures.describe(failure)));
    }

    /**
     * Asks each proposer in turn until one answers. Moving on is safe only after a replica could
     * not be reached: an exclusion asked twice is agreed once (the second finds it done). A call
     * that timed out is not retried elsewhere, since its change may still be under way.
     */
    private View excludeThroughFirstAnswering(int target, List<Integer> proposers) throws Exception {
        ReplicaUnreachableException last = null;
        for (int proposer : proposers) {
            if (last != null) {
                String why = Failures.describe(last);
                executor.onUi(() -> message.set(why + "; asking replica " + proposer + " to exclude replica " + target + "..."));
            }
            try {
                return gateway.exclude(proposer, target);
            } catch (ReplicaUnreachableException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Confirmed, then asks the excluded replica itself to copy the data and rejoin. */
    public void readmit() {
        Integer target = readmitTarget.get();
        if (target == null || busy.get()) {
            return;
        }
        if (!dialogs.confirm("Readmit replica " + target, "Ask replica " + target + " to rejoin the write set?\n\n"
                + "It copies the data from a member first, then a majority agrees a view with it; writes then need it again.")) {
            report(false, "readmission of replica " + target + " cancelled; nothing was sent");
            return;
        }
        start("readmitting replica " + target + ": it copies the data from a member, then a majority agrees a view with it...");
        executor.submit(() -> gateway.readmit(target),
                view -> done("replica " + target + " readmitted: " + view.text() + " agreed"),
                failure -> report(true, "readmission of replica " + target + " failed: " + Failures.describe(failure)));
    }

    /** Clears the outcome of the last action from the banner. */
    public void dismiss() {
        if (!busy.get()) {
            message.set("");
            failed.set(false);
        }
    }

    private void start(String what) {
        LOG.info("operator action: {}", what);
        busy.set(true);
        failed.set(false);
        message.set(what);
    }

    private void done(String what) {
        LOG.info("operator action done: {}", what);
        report(false, what);
    }

    private void report(boolean failure, String what) {
        if (failure) {
            LOG.info("operator action failed: {}", what);
        }
        busy.set(false);
        failed.set(failure);
        message.set(what);
    }

    /** "epoch 2 · writes on 1, 2, 4, 5"; empty until a replica reported its view. */
    public ReadOnlyStringProperty viewTextProperty() {
        return viewText;
    }

    /** "writes need every member; replica 3 unreachable for 7 s"; empty while every member works. */
    public ReadOnlyStringProperty outageProperty() {
        return outage;
    }

    /** The member the Exclude button names; null when none is failing. */
    public ReadOnlyObjectProperty<Integer> excludeTargetProperty() {
        return excludeTarget;
    }

    /** Why a replica may be readmitted; empty when none can. */
    public ReadOnlyStringProperty readmitNoteProperty() {
        return readmitNote;
    }

    /** The replica the Readmit button names; null when none can be readmitted. */
    public ReadOnlyObjectProperty<Integer> readmitTargetProperty() {
        return readmitTarget;
    }

    /** True while an exclusion or readmission is under way. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** What the last action is doing, or how it ended. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    /** Whether {@link #messageProperty()} says that the last action failed. */
    public ReadOnlyBooleanProperty failedProperty() {
        return failed;
    }

    /** Whether the banner has anything to say. */
    public BooleanBinding showingProperty() {
        return showing;
    }
}
