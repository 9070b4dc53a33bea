package chorus.chaos;

import chorus.api.config.MembershipSettings;
import chorus.api.model.FaultSpec;
import chorus.server.protocol.FaultPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects one fault at a time from a seeded schedule, heals it, rests, and goes on until told to
 * stop. Each round of the schedule is a seeded shuffle of every kind of fault, so that even a short
 * run sees all of them, the coordinator crashing between the phases included. The same seed gives
 * the same sequence of faults, victims and durations (not the same timing of the clients).
 *
 * <p>Membership changes too: an operator's exclusion and readmission, and (with automatic
 * membership on) an outage long enough for the replicas to exclude the victim and readmit it by
 * themselves. No fault starts while it would leave more than a minority of the replicas (two of
 * five) out of the write set at once: down, paused, excluded or still catching up.
 */
public final class Nemesis implements Runnable {

    public enum Kind {
        KILL("kill -9 and restart"),
        PAUSE("SIGSTOP past the timeouts, SIGCONT"),
        FAILURE_SWITCH("simulated-failure switch"),
        CRASH_AT_POINT("crash at a fault point"),
        HANG_AT_POINT("hang at a fault point"),
        DROP_MESSAGES("drop messages"),
        DELAY_MESSAGES("delay messages"),
        COMBINED("coordinator crash, another replica paused"),
        MANUAL_EXCLUSION("excluded and readmitted by hand"),
        AUTO_EXCLUSION("long outage, automatic exclusion");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
    /**
     * Crash points that each round includes for sure: the coordinator with every prepare durable and
     * no COMMIT record (parallel commit's window: only asking every member finds the commit), between
     * the phases, and after it answered the client but before every replica acknowledged.
     */
    private static final List<FaultPoint> ALWAYS_CRASHED = List.of(FaultPoint.COORDINATOR_BEFORE_COMMIT_RECORD,
            FaultPoint.COORDINATOR_AFTER_DECISION,
            FaultPoint.COORDINATOR_AFTER_PARTIAL_COMMIT, FaultPoint.COORDINATOR_AFTER_ANSWER);
    /**
     * How long an armed crash point may take to be reached. Under traffic a coordinator's point is
     * reached in milliseconds, if at all: under leader coordination only the leader coordinates,
     * and a learner's points only while it catches up. Waiting longer only shortens the run.
     */
    private static final Duration CRASH_PATIENCE = Duration.ofSeconds(5);
    /** An exclusion waits out the victim's lease (about a second here) and may race an automatic one. */
    private static final Duration EXCLUDE_PATIENCE = Duration.ofSeconds(15);
    /** A readmission waits for the catch-up, which needs the restarted replica up and a member to copy from. */
    private static final Duration READMIT_PATIENCE = Duration.ofSeconds(20);
    /** How long a replica back from a long outage may take to readmit itself (catch-up, then hearing every member). */
    private static final Duration MEMBER_AGAIN_PATIENCE = Duration.ofSeconds(30);
    /** How long a fault waits for replicas to rejoin the write set before it is skipped. */
    private static final Duration ROOM_PATIENCE = Duration.ofSeconds(20);

    private final ChaosCluster cluster;
    private final History history;
    private final Random random;
    private final BooleanSupplier stop;
    private final Duration vote;
    private final MembershipSettings membership;
    private final ViewWatcher watcher;
    private final MembershipChanges changes;
    /** At most this many replicas out of the write set at once: a minority, so that a majority always writes. */
    private final int maxOut;
    private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
    private final Map<String, Integer> crashPoints = new TreeMap<>();
    private final Map<Kind, Map<String, Integer>> outcomes = new EnumMap<>(Kind.class);
    private volatile String failure;

    Nemesis(ChaosCluster cluster, History history, ViewWatcher watcher, long seed, BooleanSupplier stop) {
        this.cluster = cluster;
        this.history = history;
        this.watcher = watcher;
        this.random = new Random(seed);
        this.stop = stop;
        this.vote = cluster.config().timeouts().vote();
        this.membership = cluster.config().membership();
        this.changes = new MembershipChanges(cluster, history, stop);
        this.maxOut = Math.max(1, (cluster.ids().size() - 1) / 2);
    }

    private boolean automatic() {
        return !membership.autoExcludeAfter().isZero();
    }

    @Override
    public void run() {
        try {
            rest(1500, 2500);
            boolean first = true;
            while (!stop.getAsBoolean()) {
                for (Step step : round(first)) {
                    if (stop.getAsBoolean()) {
                        return;
                    }
                    step.run();
                    rest(500, 1500);
                }
                first = false;
            }
        } catch (RuntimeException e) {
            failure = "the nemesis failed: " + e;
            LOG.error("nemesis failed", e);
        }
    }

    /** Why the nemesis stopped early, if it did. */
    String failure() {
        return failure;
    }

    Map<Kind, Integer> injected() {
        synchronized (injected) {
            return new EnumMap<>(injected);
        }
    }

    Map<String, Integer> crashPoints() {
        synchronized (injected) {
            return new TreeMap<>(crashPoints);
        }
    }

    /** For each kind that has them, how its steps ended ("exclusion agreed": 3, ...). */
    Map<Kind, Map<String, Integer>> outcomes() {
        synchronized (injected) {
            Map<Kind, Map<String, Integer>> copy = new EnumMap<>(Kind.class);
            outcomes.forEach((k, m) -> copy.put(k, new TreeMap<>(m)));
            return copy;
        }
    }

    private interface Step {
        void run();
    }

    /**
     * One of each kind in seeded order. The first round opens with the coordinator crashing between
     * the phases, then the membership changes, so that even a short run has them.
     */
    private List<Step> round(boolean first) {
        List<Step> steps = new ArrayList<>();
        steps.add(this::kill);
        steps.add(this::pause);
        steps.add(this::failureSwitch);
        steps.add(() -> crashAt(FaultPoint.values()[random.nextInt(FaultPoint.values().length)]));
        steps.add(this::hangAt);
        steps.add(() -> messages(FaultSpec.MessageAction.DROP));
        steps.add(() -> messages(FaultSpec.MessageAction.DELAY));
        steps.add(this::crashWhileAnotherIsPaused);
        List<Step> between = new ArrayList<>();
        for (FaultPoint p : ALWAYS_CRASHED) {
            between.add(() -> crashAt(p));
        }
        List<Step> membershipChanges = new ArrayList<>();
        membershipChanges.add(this::excludeAndReadmitByHand);
        if (automatic()) {
            // Without automatic membership nothing would exclude the victim: a long kill and no more.
            membershipChanges.add(this::outageForAutomaticExclusion);
        }
        if (first) {
            Collections.shuffle(steps, random);
            between.addAll(membershipChanges);
            between.addAll(steps);
            return between;
        }
        steps.addAll(between);
        steps.addAll(membershipChanges);
        Collections.shuffle(steps, random);
        return steps;
    }

    private int victim() {
        return cluster.ids().get(random.nextInt(cluster.ids().size()));
    }

    /** Another replica than {@code r}, at random. */
    private int other(int r) {
        List<Integer> others = new ArrayList<>(cluster.ids());
        others.remove(Integer.valueOf(r));
        return others.get(random.nextInt(others.size()));
    }

    private void kill() {
        int r = victim();
        long down = between(500, 3000);
        if (!room(Kind.KILL, List.of(r))) {
            return;
        }
        count(Kind.KILL);
        history.nemesis("kill", "kill -9 replica " + r);
        cluster.kill(r);
        rest(down, down);
        restart(r);
    }

    private void pause() {
        int r = victim();
        long paused = vote.toMillis() + between(500, 2500);
        if (!room(Kind.PAUSE, List.of(r))) {
            return;
        }
        count(Kind.PAUSE);
        history.nemesis("pause", "SIGSTOP replica " + r + " for " + paused + " ms");
        cluster.pause(r);
        rest(paused, paused);
        cluster.resume(r);
        history.nemesis("pause", "SIGCONT replica " + r);
    }

    private void failureSwitch() {
        int r = victim();
        long on = between(1500, 4000);
        if (!room(Kind.FAILURE_SWITCH, List.of(r))) {
            return;
        }
        count(Kind.FAILURE_SWITCH);
        history.nemesis("failure-switch", "replica " + r + " simulates failure for " + on + " ms");
        admin(r, a -> a.setSimulatedFailure(true));
        rest(on, on);
        admin(r, a -> a.setSimulatedFailure(false));
        history.nemesis("failure-switch", "replica " + r + " back");
    }

    private void crashAt(FaultPoint point) {
        int r = victim();
        long down = between(300, 2000);
        if (!room(Kind.CRASH_AT_POINT, List.of(r))) {
            return;
        }
        count(Kind.CRASH_AT_POINT);
        synchronized (injected) {
            crashPoints.merge(point.id(), 1, Integer::sum);
        }
        history.nemesis("crash-at-point", "replica " + r + " will crash at " + point.id());
        armCrash(r, point);
        if (cluster.awaitExit(r, CRASH_PATIENCE)) {
            history.nemesis("crash-at-point", "replica " + r + " crashed at " + point.id());
            rest(down, down);
        } else {
            history.nemesis("crash-at-point", "replica " + r + " did not reach " + point.id() + " within " + CRASH_PATIENCE.toSeconds()
                    + " s; cleared");
            admin(r, a -> a.clearFaults());
        }
        restart(r);
    }

    /**
     * Two faults at once: the coordinator crashes after its COMMIT reached only some replicas while
     * another replica is paused, so the paused one wakes to a decision it must learn from peers, and
     * cooperative termination runs with a peer missing.
     */
    private void crashWhileAnotherIsPaused() {
        int r = victim();
        List<Integer> others = new ArrayList<>(cluster.ids());
        others.remove(Integer.valueOf(r));
        int q = others.get(random.nextInt(others.size()));
        FaultPoint point = FaultPoint.COORDINATOR_AFTER_PARTIAL_COMMIT;
        long paused = vote.toMillis() + between(500, 2500);
        if (!room(Kind.COMBINED, List.of(r, q))) {
            return;
        }
        count(Kind.COMBINED);
        synchronized (injected) {
            crashPoints.merge(point.id(), 1, Integer::sum);
        }
        history.nemesis("combined", "replica " + r + " will crash at " + point.id() + "; replica " + q + " paused for "
                + paused + " ms once it does");
        armCrash(r, point);
        boolean crashed = cluster.awaitExit(r, CRASH_PATIENCE);
        cluster.pause(q);
        history.nemesis("combined", crashed ? "replica " + r + " crashed; SIGSTOP replica " + q
                : "replica " + r + " did not reach " + point.id() + " within " + CRASH_PATIENCE.toSeconds() + " s; SIGSTOP replica "
                + q + " anyway");
        if (!crashed) {
            admin(r, a -> a.clearFaults());
        }
        rest(paused, paused);
        cluster.resume(q);
        history.nemesis("combined", "SIGCONT replica " + q);
        restart(r);
    }

    private void hangAt() {
        int r = victim();
        FaultPoint point = FaultPoint.values()[random.nextInt(FaultPoint.values().length)];
        long hang = between(500, vote.toMillis() * 2);
        if (!room(Kind.HANG_AT_POINT, List.of(r))) {
            return;
        }
        count(Kind.HANG_AT_POINT);
        history.nemesis("hang-at-point", "replica " + r + " hangs at " + point.id() + " for " + hang + " ms");
        admin(r, a -> a.injectFault(FaultSpec.AtPoint.hang(point.id(), Duration.ofMillis(hang))));
        rest(hang + 2000, hang + 2000);
        admin(r, a -> a.clearFaults());
        history.nemesis("hang-at-point", "replica " + r + " faults cleared");
    }

    private void messages(FaultSpec.MessageAction action) {
        int r = victim();
        List<Integer> others = new ArrayList<>(cluster.ids());
        others.remove(Integer.valueOf(r));
        int peer = others.get(random.nextInt(others.size()));
        FaultSpec.Direction dir = FaultSpec.Direction.values()[random.nextInt(FaultSpec.Direction.values().length)];
        Duration delay = action == FaultSpec.MessageAction.DELAY ? Duration.ofMillis(between(50, vote.toMillis() + 500)) : Duration.ZERO;
        long lasting = between(1500, 4000);
        FaultSpec.OnMessages spec = new FaultSpec.OnMessages(peer, dir, action, delay);
        // With automatic membership, one of the two may be excluded (never both: that ends the silence).
        if (!room(action == FaultSpec.MessageAction.DROP ? Kind.DROP_MESSAGES : Kind.DELAY_MESSAGES, List.of(r))) {
            return;
        }
        count(action == FaultSpec.MessageAction.DROP ? Kind.DROP_MESSAGES : Kind.DELAY_MESSAGES);
        history.nemesis("messages", "replica " + r + ": " + spec + " for " + lasting + " ms");
        admin(r, a -> a.injectFault(spec));
        rest(lasting, lasting);
        admin(r, a -> a.clearFaults());
        history.nemesis("messages", "replica " + r + " faults cleared");
    }

    /**
     * An operator's exclusion: the victim goes down (kill -9 or its failure switch), another replica
     * is asked to exclude it, writes run on the others, the victim comes back and is asked to
     * readmit itself, which it does once it has caught up. With automatic membership the replicas
     * may get there first, either way: the outcome says so.
     */
    private void excludeAndReadmitByHand() {
        int r = victim();
        boolean failureSwitch = random.nextBoolean();
        int askOf = other(r);
        long without = between(1000, 3000);
        if (!room(Kind.MANUAL_EXCLUSION, List.of(r))) {
            return;
        }
        count(Kind.MANUAL_EXCLUSION);
        history.nemesis("manual-exclusion", (failureSwitch ? "replica " + r + " simulates failure" : "kill -9 replica " + r)
                + "; replica " + askOf + " is asked to exclude it, writes go on without it for " + without
                + " ms, then it comes back and is asked to readmit itself");
        takeDown(r, failureSwitch);
        outcome(Kind.MANUAL_EXCLUSION, "exclusion " + changes.exclude(r, askOf, EXCLUDE_PATIENCE).label);
        rest(without, without);
        bringBack(r, failureSwitch);
        outcome(Kind.MANUAL_EXCLUSION, "readmission " + changes.readmit(r, READMIT_PATIENCE).label);
    }

    /**
     * An outage longer than automatic exclusion takes (silence, then the victim's lease and margin
     * run out, then a vote): the others exclude the victim by themselves; back, it catches up and
     * readmits itself. Nobody is asked anything; the nemesis only looks.
     */
    private void outageForAutomaticExclusion() {
        int r = victim();
        boolean failureSwitch = random.nextBoolean();
        long outage = membership.autoExcludeAfter().plus(membership.lease()).plus(membership.leaseMargin()).toMillis()
                + between(2000, 4000);
        if (!room(Kind.AUTO_EXCLUSION, List.of(r))) {
            return;
        }
        count(Kind.AUTO_EXCLUSION);
        history.nemesis("auto-exclusion", (failureSwitch ? "replica " + r + " simulates failure" : "kill -9 replica " + r) + " for "
                + outage + " ms, long enough for the others to exclude it by themselves");
        takeDown(r, failureSwitch);
        rest(outage, outage);
        if (stop.getAsBoolean()) {
            outcome(Kind.AUTO_EXCLUSION, CUT_SHORT);
            bringBack(r, failureSwitch);
            return;
        }
        Optional<String> without = cluster.ids().stream().filter(q -> q != r)
                .flatMap(q -> changes.view(q).filter(v -> !v.isMember(r)).map(v -> "replica " + q + " knows " + v.text()).stream())
                .findFirst();
        history.nemesis("auto-exclusion", without.map(w -> "replica " + r + " was excluded: " + w)
                .orElse("no other replica knows a view without replica " + r + " yet"));
        outcome(Kind.AUTO_EXCLUSION, without.isPresent() ? "excluded automatically" : "not excluded during the outage");
        bringBack(r, failureSwitch);
        Optional<Duration> back = changes.awaitMember(r, MEMBER_AGAIN_PATIENCE);
        outcome(Kind.AUTO_EXCLUSION, back.isPresent() ? "readmitted itself"
                : stop.getAsBoolean() ? CUT_SHORT : "not a member again within " + MEMBER_AGAIN_PATIENCE.toSeconds() + " s");
    }

    private static final String CUT_SHORT = "cut short by the end of the run";

    private void takeDown(int r, boolean failureSwitch) {
        if (failureSwitch) {
            admin(r, a -> a.setSimulatedFailure(true));
        } else {
            cluster.kill(r);
        }
    }

    private void bringBack(int r, boolean failureSwitch) {
        if (failureSwitch) {
            admin(r, a -> a.setSimulatedFailure(false));
            history.nemesis("failure-switch", "replica " + r + " back");
        } else {
            restart(r);
        }
    }

    /**
     * Waits until the fault's victims and the replicas already out of the write set (down, excluded,
     * catching up: what automatic membership or an earlier fault left) make at most a minority;
     * halfway through the patience, readmits by hand those still out. False, with the step
     * recorded as skipped, if they never do.
     */
    private boolean room(Kind kind, List<Integer> victims) {
        long start = System.nanoTime();
        boolean readmitted = false;
        while (!stop.getAsBoolean()) {
            Set<Integer> out = watcher.outOfWriteSet();
            out.addAll(victims);
            if (out.size() <= maxOut) {
                return true;
            }
            long waited = System.nanoTime() - start;
            if (waited > ROOM_PATIENCE.toNanos()) {
                history.nemesis("room", kind.label + " skipped: replicas " + out + " would be out of the write set at once, more than "
                        + maxOut);
                outcome(kind, "skipped: too many replicas out");
                return false;
            }
            if (!readmitted && waited > ROOM_PATIENCE.toNanos() / 2) {
                readmitted = true;
                for (int r : watcher.outOfWriteSet()) {
                    if (!victims.contains(r) && cluster.isRunning(r)) {
                        history.nemesis("room", "replica " + r + " is still out of the write set before " + kind.label
                                + ": asking it to readmit itself");
                        changes.readmit(r, Duration.ofSeconds(10));
                    }
                }
            }
            ChaosCluster.pauseBriefly(100);
        }
        return false;
    }

    /** Undoes everything any fault could have left: resumes, restarts, switches off, clears. */
    void healAll() {
        for (int r : cluster.ids()) {
            cluster.resume(r);
            if (!cluster.isRunning(r)) {
                restart(r);
            }
        }
        for (int r : cluster.ids()) {
            admin(r, a -> a.setSimulatedFailure(false));
            admin(r, a -> a.clearFaults());
        }
        history.nemesis("heal", "every replica running, resumed, failure switch off, faults cleared");
    }

    private void restart(int r) {
        if (cluster.isRunning(r)) {
            cluster.kill(r);
        }
        cluster.launch(r);
        cluster.awaitUp(r, Duration.ofSeconds(60));
        history.nemesis("restart", "replica " + r + " up again");
    }

    private interface AdminCall {
        void call(chorus.api.ReplicaAdmin admin) throws Exception;
    }

    /**
     * Arms a crash at {@code point}. A busy replica can reach the point, and halt, before the arming
     * call's answer leaves it: the call then fails although the fault did its job.
     */
    private void armCrash(int r, FaultPoint point) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                cluster.connection(r).admin().injectFault(FaultSpec.AtPoint.crash(point.id()));
                return;
            } catch (Exception e) {
                if (cluster.awaitExit(r, Duration.ofMillis(500))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("admin call to replica " + r + " failed: " + ChaosClient.describe(e), e);
                }
                ChaosCluster.pauseBriefly(200);
            }
        }
    }

    /** An admin call that must succeed; retried for a few seconds (the replica may be busy recovering). */
    private void admin(int r, AdminCall call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                call.call(cluster.connection(r).admin());
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("admin call to replica " + r + " failed: " + ChaosClient.describe(e), e);
                }
                ChaosCluster.pauseBriefly(200);
            }
        }
    }

    private void count(Kind kind) {
        synchronized (injected) {
            injected.merge(kind, 1, Integer::sum);
        }
    }

    private void outcome(Kind kind, String what) {
        synchronized (injected) {
            outcomes.computeIfAbsent(kind, k -> new TreeMap<>()).merge(what, 1, Integer::sum);
        }
    }

    private long between(long lo, long hi) {
        return lo + (hi > lo ? random.nextInt((int) (hi - lo)) : 0);
    }

    /**
     * The nemesis' own pacing between faults: production-side timing, cut short by stop (the fault
     * under way then ends at once: healing follows).
     */
    private void rest(long lo, long hi) {
        long until = System.nanoTime() + between(lo, hi) * 1_000_000;
        while (System.nanoTime() < until && !stop.getAsBoolean()) {
            ChaosCluster.pauseBriefly(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
