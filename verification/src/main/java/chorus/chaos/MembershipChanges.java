package chorus.chaos;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * An operator's membership calls in a chaos run: exclude a replica, have one readmit itself, wait
 * until one is a member again. Each is retried until it is done or its time is over, and each
 * outcome goes into the history.
 *
 * <p>A {@link ViewChangeException} is no proof that nothing changed: the proposal may have been
 * accepted by a majority after the call gave up waiting, and any later proposer then finishes it.
 * So after one, these calls ask the replicas for their view again rather than conclude anything.
 */
final class MembershipChanges {

    /** What became of a call. */
    enum Result {
        /** This call's change was agreed. */
        DONE("agreed"),
        /** Nothing to do when asked: excluded already, or a member again already (automatic membership got there first). */
        ALREADY("already done (automatic)"),
        /** Refused for good (it would leave fewer than a majority of members). */
        REFUSED("refused"),
        /** Not agreed within the time given. */
        NOT_IN_TIME("not agreed in time"),
        /** Given up when the run ended (healing takes over). */
        CUT_SHORT("cut short by the end of the run");

        final String label;

        Result(String label) {
            this.label = label;
        }
    }

    private final ChaosCluster cluster;
    private final History history;
    private final BooleanSupplier stop;

    /** @param stop true once the run is over: the calls then give up at once (healing takes over) */
    MembershipChanges(ChaosCluster cluster, History history, BooleanSupplier stop) {
        this.cluster = cluster;
        this.history = history;
        this.stop = stop;
    }

    /** Whether there is time left to ask again. */
    private boolean goOn(long deadline) {
        return System.nanoTime() < deadline && !stop.getAsBoolean();
    }

    /** NOT_IN_TIME, or CUT_SHORT when the run ended first; recorded with {@code what} and the last answer. */
    private Result gaveUp(String what, Duration within, String last) {
        if (stop.getAsBoolean()) {
            history.nemesis("membership", what + ": cut short by the end of the run; last: " + last);
            return Result.CUT_SHORT;
        }
        history.nemesis("membership", what + ": not within " + within.toSeconds() + " s; last: " + last);
        return Result.NOT_IN_TIME;
    }

    /**
     * Asks {@code askOf} to exclude {@code victim}, then each other running replica in turn, until a
     * view without it is agreed or {@code within} is over.
     */
    Result exclude(int victim, int askOf, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Integer> askers = new ArrayList<>(List.of(askOf));
        cluster.ids().stream().filter(r -> r != victim && r != askOf).forEach(askers::add);
        Optional<View> before = view(askOf);
        if (before.isPresent() && !before.get().isMember(victim)) {
            history.nemesis("exclude", "replica " + victim + " is excluded already: replica " + askOf + " knows " + before.get().text());
            return Result.ALREADY;
        }
        String last = "nobody was asked";
        for (int attempt = 0; goOn(deadline); attempt++) {
            int asked = askers.get(attempt % askers.size());
            if (!cluster.isRunning(asked)) {
                ChaosCluster.pauseBriefly(50);
                continue;
            }
            try {
                View v = cluster.connection(asked).admin().exclude(victim);
                if (!v.isMember(victim)) {
                    history.nemesis("exclude", "replica " + asked + " agreed " + v.text() + " without replica " + victim);
                    return Result.DONE;
                }
                last = "replica " + asked + " answered " + v.text() + ", with replica " + victim;
            } catch (InvalidRequestException e) {
                history.nemesis("exclude", "replica " + asked + " refused to exclude replica " + victim + ": " + e.getMessage());
                return Result.REFUSED;
            } catch (ViewChangeException e) {
                last = "replica " + asked + ": " + e.getMessage();
                // The proposal may still be finished by another proposer: look before asking again.
                Optional<View> now = view(asked);
                if (now.isPresent() && !now.get().isMember(victim)) {
                    history.nemesis("exclude", "replica " + asked + " gave up (" + e.getMessage() + ") but knows " + now.get().text()
                            + " without replica " + victim);
                    return Result.DONE;
                }
            } catch (Exception e) {
                last = "replica " + asked + ": " + ChaosClient.describe(e);
            }
            ChaosCluster.pauseBriefly(200);
        }
        return gaveUp("the exclusion of replica " + victim, within, last);
    }

    /**
     * Asks {@code replica} to readmit itself until it is a voting member again or {@code within} is
     * over; "has not caught up yet; ask again" is asked again.
     */
    Result readmit(int replica, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        boolean asked = false;
        String last = "not asked";
        while (goOn(deadline)) {
            try {
                var admin = cluster.connection(replica).admin();
                MembershipStatus s = admin.members();
                if (votingMember(s)) {
                    history.nemesis("readmit", "replica " + replica + (asked ? " readmitted: " : " is a voting member already: ")
                            + s.view().text());
                    return asked ? Result.DONE : Result.ALREADY;
                }
                if (!s.member()) {
                    admin.readmit(replica);
                    asked = true;
                } else {
                    // A member as far as it knows, but without a lease or still finishing its
                    // catch-up: back from a failure, it may not have learned yet that it was excluded.
                    last = "it is a member of " + s.view().text() + " as far as it knows, " + (s.catchUp() != null
                            ? s.catchUp().describe() : "without a read lease (" + s.leaseProblem() + ")");
                }
            } catch (Exception e) {
                // Not caught up yet, not agreed yet, or not up yet: ask again.
                last = ChaosClient.describe(e);
            }
            ChaosCluster.pauseBriefly(200);
        }
        return gaveUp("the readmission of replica " + replica, within, last);
    }

    /** Waits until {@code replica} is a voting member (see {@link #votingMember}); how long it took, if it did in time. */
    Optional<Duration> awaitMember(int replica, Duration within) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (goOn(deadline)) {
            try {
                MembershipStatus s = cluster.connection(replica).admin().members();
                if (votingMember(s)) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    history.nemesis("member-again", "replica " + replica + " is a voting member of " + s.view().text() + " again");
                    return Optional.of(took);
                }
            } catch (Exception e) {
                // not up yet
            }
            ChaosCluster.pauseBriefly(100);
        }
        gaveUp("replica " + replica + " a voting member again", within, "not yet");
        return Optional.empty();
    }

    /**
     * A member that votes and reads: of its view, done with its catch-up, holding a read lease. The
     * lease matters: a replica back from a failure still says it is a member of the last view it
     * knew until it learns the newer one that left it out; a majority grants a lease only to a
     * member of the view they know.
     */
    static boolean votingMember(MembershipStatus s) {
        return s.member() && s.catchUp() == null && s.leaseHeld();
    }

    /** The view replica {@code r} knows agreed, if it answers. */
    Optional<View> view(int r) {
        try {
            return Optional.of(cluster.connection(r).admin().members().view());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
