package chorus.chaos;

import chorus.api.model.FaultSpec;
import chorus.server.protocol.FaultPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects one fault at a time from a seeded schedule, heals it, rests, and goes on until told to
 * stop. Each round of the schedule is a seeded shuffle of every kind of fault, so that even a short
 * run sees all of them, the coordinator crashing between the phases included. The same seed gives
 * the same sequence of faults, victims and durations (not the same timing of the clients).
 */
final class Nemesis implements Runnable {

    enum Kind {
        KILL("kill -9 and restart"),
        PAUSE("SIGSTOP past the timeouts, SIGCONT"),
        FAILURE_SWITCH("simulated-failure switch"),
        CRASH_AT_POINT("crash at a fault point"),
        HANG_AT_POINT("hang at a fault point"),
        DROP_MESSAGES("drop messages"),
        DELAY_MESSAGES("delay messages"),
        COMBINED("coordinator crash, another replica paused");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
    /**
     * Crash points that each round includes for sure: the coordinator between the phases, and after
     * it answered the client but before every replica acknowledged (the commit point's window).
     */
    private static final List<FaultPoint> ALWAYS_CRASHED = List.of(FaultPoint.COORDINATOR_AFTER_DECISION,
            FaultPoint.COORDINATOR_AFTER_PARTIAL_COMMIT, FaultPoint.COORDINATOR_AFTER_ANSWER);

    private final ChaosCluster cluster;
    private final History history;
    private final Random random;
    private final BooleanSupplier stop;
    private final Duration vote;
    private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
    private final Map<String, Integer> crashPoints = new TreeMap<>();
    private volatile String failure;

    Nemesis(ChaosCluster cluster, History history, long seed, BooleanSupplier stop) {
        this.cluster = cluster;
        this.history = history;
        this.random = new Random(seed);
        this.stop = stop;
        this.vote = cluster.config().timeouts().vote();
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

    private interface Step {
        void run();
    }

    /** One of each kind in seeded order; the first round opens with the coordinator crashing between the phases. */
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
        if (first) {
            Collections.shuffle(steps, random);
            between.addAll(steps);
            return between;
        }
        steps.addAll(between);
        Collections.shuffle(steps, random);
        return steps;
    }

    private int victim() {
        return cluster.ids().get(random.nextInt(cluster.ids().size()));
    }

    private void kill() {
        int r = victim();
        long down = between(500, 3000);
        count(Kind.KILL);
        history.nemesis("kill", "kill -9 replica " + r);
        cluster.kill(r);
        rest(down, down);
        restart(r);
    }

    private void pause() {
        int r = victim();
        long paused = vote.toMillis() + between(500, 2500);
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
        count(Kind.CRASH_AT_POINT);
        synchronized (injected) {
            crashPoints.merge(point.id(), 1, Integer::sum);
        }
        history.nemesis("crash-at-point", "replica " + r + " will crash at " + point.id());
        armCrash(r, point);
        if (cluster.awaitExit(r, Duration.ofSeconds(10))) {
            history.nemesis("crash-at-point", "replica " + r + " crashed at " + point.id());
            rest(down, down);
        } else {
            history.nemesis("crash-at-point", "replica " + r + " did not reach " + point.id() + " within 10 s; cleared");
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
        count(Kind.COMBINED);
        synchronized (injected) {
            crashPoints.merge(point.id(), 1, Integer::sum);
        }
        history.nemesis("combined", "replica " + r + " will crash at " + point.id() + "; replica " + q + " paused for "
                + paused + " ms once it does");
        armCrash(r, point);
        boolean crashed = cluster.awaitExit(r, Duration.ofSeconds(10));
        cluster.pause(q);
        history.nemesis("combined", crashed ? "replica " + r + " crashed; SIGSTOP replica " + q
                : "replica " + r + " did not reach " + point.id() + " within 10 s; SIGSTOP replica " + q + " anyway");
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
        count(action == FaultSpec.MessageAction.DROP ? Kind.DROP_MESSAGES : Kind.DELAY_MESSAGES);
        history.nemesis("messages", "replica " + r + ": " + spec + " for " + lasting + " ms");
        admin(r, a -> a.injectFault(spec));
        rest(lasting, lasting);
        admin(r, a -> a.clearFaults());
        history.nemesis("messages", "replica " + r + " faults cleared");
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

    private long between(long lo, long hi) {
        return lo + (hi > lo ? random.nextInt((int) (hi - lo)) : 0);
    }

    /** The nemesis' own pacing between faults: production-side timing, interruptible by stop. */
    private void rest(long lo, long hi) {
        long until = System.nanoTime() + between(lo, hi) * 1_000_000;
        while (System.nanoTime() < until) {
            ChaosCluster.pauseBriefly(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
