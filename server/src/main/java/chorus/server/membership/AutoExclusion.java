package chorus.server.membership;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.model.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Excludes members that have not answered for {@code membership.auto-exclude-after-ms}, so that
 * writes go on without them. Only one member proposes: the lowest member that this replica still
 * hears, if that is this replica; the others leave it to that one. Two that both think it their
 * turn (an uneven partition) are safe: the ballots let one view win per epoch.
 *
 * <p>A member proposes only while it holds a read lease, that is while a majority answers it: a
 * replica cut off with a minority never tries, and so never fills the log with changes that cannot
 * be agreed. The exclusion itself waits out the silent replica's lease, as every exclusion does.
 */
final class AutoExclusion {

    private static final Logger LOG = LoggerFactory.getLogger(AutoExclusion.class);

    /** Agrees a change; the caller records a failure as an event. */
    interface Proposer {
        void propose(String what, ViewProposer.Change change) throws InvalidRequestException, ViewChangeException, InterruptedException;
    }

    private final int self;
    private final int majority;
    private final long afterNanos;
    private final Contacts contacts;
    private final BooleanSupplier mayPropose;
    private final Proposer proposer;
    private final ExecutorService calls;
    private final AtomicBoolean proposing = new AtomicBoolean();
    /** The suspects last reported as impossible to exclude (a majority would be lost), so that it is said once. */
    private volatile List<Integer> reportedStuck = List.of();

    /**
     * @param mayPropose true while this replica is a member that votes, holds a lease and plays no dead
     */
    AutoExclusion(int self, int configured, Duration after, Contacts contacts, BooleanSupplier mayPropose, Proposer proposer,
                  ExecutorService calls) {
        this.self = self;
        this.majority = Quorum.majority(configured);
        this.afterNanos = after.toNanos();
        this.contacts = contacts;
        this.mayPropose = mayPropose;
        this.proposer = proposer;
        this.calls = calls;
    }

    /** The members silent for longer than the setting, if this replica is the one to exclude them. */
    List<Integer> suspects(View view) {
        List<Integer> silent = view.members().stream().filter(r -> r != self && contacts.silentNanos(r) >= afterNanos).toList();
        if (silent.isEmpty()) {
            return List.of();
        }
        int proposer = view.members().stream().filter(r -> !silent.contains(r)).findFirst().orElse(self);
        return proposer == self ? silent : List.of();
    }

    /** Called every so often: starts an exclusion in the background if one is due and none runs. */
    void check(View view) {
        if (!view.isMember(self) || !mayPropose.getAsBoolean() || suspects(view).isEmpty()
                || !proposing.compareAndSet(false, true)) {
            return;
        }
        try {
            calls.execute(() -> {
                try {
                    exclude(view);
                } finally {
                    proposing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            proposing.set(false); // closing
        }
    }

    private void exclude(View seen) {
        List<Integer> suspects = suspects(seen);
        if (suspects.isEmpty()) {
            return;
        }
        String silence = suspects.stream().map(r -> "replica " + r + " for " + contacts.silentNanos(r) / 1_000_000 + " ms")
                .collect(Collectors.joining(", "));
        String what = "exclude " + names(suspects) + ", unreachable (" + silence + "; membership.auto-exclude-after-ms = "
                + afterNanos / 1_000_000 + ")";
        try {
            proposer.propose(what, current -> {
                // Checked before every attempt, not only when the change began: a replica whose
                // lease lapsed meanwhile may be cut off with a minority, and leaves it to the others.
                if (!mayPropose.getAsBoolean()) {
                    throw new InvalidRequestException("replica " + self + " no longer holds a read lease (or plays dead): "
                            + "it leaves the exclusion to a replica that a majority answers");
                }
                List<Integer> kept = new ArrayList<>(current.members());
                List<Integer> stuck = new ArrayList<>();
                for (int r : suspects) {
                    if (!kept.contains(r)) {
                        continue;
                    }
                    if (kept.size() - 1 < majority) {
                        stuck.add(r);
                    } else {
                        kept.remove(Integer.valueOf(r));
                    }
                }
                View next = kept.size() == current.members().size() ? current : new View(current.epoch() + 1, kept);
                reportStuck(stuck, next);
                return next;
            });
        } catch (InvalidRequestException | ViewChangeException e) {
            LOG.debug("automatic exclusion not agreed: {}", e.getMessage()); // an event says so already
        } catch (RuntimeException e) {
            // This replica's own promise or acceptance could not be recorded (a full disk): the
            // next check tries again.
            LOG.warn("automatic exclusion failed here: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportStuck(List<Integer> stuck, View next) {
        if (stuck.isEmpty() || stuck.equals(reportedStuck)) {
            reportedStuck = stuck;
            return;
        }
        reportedStuck = stuck;
        LOG.warn("{} unreachable but not excluded: {} must stay members, a majority of the configured replicas, "
                + "so that every write lives on a majority of disks; writes wait until enough of them answer again",
                names(stuck), next.text());
    }

    private static String names(List<Integer> replicas) {
        return (replicas.size() == 1 ? "replica " : "replicas ")
                + replicas.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
