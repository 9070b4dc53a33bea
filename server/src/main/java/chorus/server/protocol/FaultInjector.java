package chorus.server.protocol;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's injected faults: crash or hang at a {@link FaultPoint}, drop or delay messages to
 * or from a peer. Refuses everything unless the replica was started with {@code --allow-faults}.
 * A fault at a point fires once (the first thread to pass it) and is then disarmed; message faults
 * last until cleared. When nothing is armed anywhere, every check is one volatile read.
 */
public final class FaultInjector {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
    /** Replicas of this JVM by id: one in a replica process, several in unit tests. */
    private static final Map<Integer, FaultInjector> REPLICAS = new ConcurrentHashMap<>();
    /** True while any injector of this JVM has something armed: the fast path when off. */
    private static volatile boolean anyArmed;

    private final int self;
    private final Set<Integer> peers;
    private final EventLog events;
    private final Map<FaultPoint, FaultSpec.AtPoint> points = new ConcurrentHashMap<>();
    private final Map<Integer, FaultSpec.OnMessages> outgoing = new ConcurrentHashMap<>();
    private final Map<Integer, FaultSpec.OnMessages> incoming = new ConcurrentHashMap<>();
    private volatile boolean allowed;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile Runnable crash = () -> Runtime.getRuntime().halt(137);

    private FaultInjector(int self, Set<Integer> peers, EventLog events) {
        this.self = self;
        this.peers = Set.copyOf(peers);
        this.events = events;
    }

    /** Creates replica {@code self}'s injector (disabled) and makes it the one its fault points consult. */
    static FaultInjector register(int self, Set<Integer> peers, EventLog events) {
        FaultInjector f = new FaultInjector(self, peers, events);
        FaultInjector old = REPLICAS.put(self, f);
        if (old != null) {
            old.releaseHung();
        }
        recomputeArmed();
        return f;
    }

    /** Lets operators inject faults: only for replicas started with {@code --allow-faults}. */
    public void allow() {
        allowed = true;
    }

    public boolean allowed() {
        return allowed;
    }

    /** What a CRASH does; halting the JVM unless a test running several replicas in one JVM says otherwise. */
    void onCrash(Runnable action) {
        this.crash = action;
    }

    public void inject(FaultSpec spec) throws NotPermittedException, InvalidRequestException {
        if (!allowed) {
            throw new NotPermittedException("fault injection is disabled; start the replica with --allow-faults");
        }
        if (spec instanceof FaultSpec.AtPoint p) {
            FaultPoint point = FaultPoint.find(p.point()).orElseThrow(() -> new InvalidRequestException("unknown fault point '"
                    + p.point() + "'; known: " + String.join(", ", List.of(FaultPoint.values()).stream().map(FaultPoint::id).toList())));
            if (p.hangFor().isNegative()) {
                throw new InvalidRequestException("a hang cannot last " + p.hangFor());
            }
            points.put(point, p);
        } else if (spec instanceof FaultSpec.OnMessages m) {
            if (m.peer() == self || !peers.contains(m.peer())) {
                throw new InvalidRequestException("replica " + m.peer() + " is not a peer of replica " + self);
            }
            if (m.action() == FaultSpec.MessageAction.DELAY && (m.delay().isNegative() || m.delay().isZero())) {
                throw new InvalidRequestException("a delay must be positive, was " + m.delay());
            }
            if (m.outgoing()) {
                outgoing.put(m.peer(), m);
            }
            if (m.incoming()) {
                incoming.put(m.peer(), m);
            }
        } else {
            throw new InvalidRequestException("no fault given");
        }
        anyArmed = true;
        events.record(Role.OPERATOR, EventType.FAULT_INJECTED, null, self, List.of(), "", spec.toString(), -1);
    }

    public void clear() throws NotPermittedException {
        if (!allowed) {
            throw new NotPermittedException("fault injection is disabled; start the replica with --allow-faults");
        }
        List<String> was = describe();
        points.clear();
        outgoing.clear();
        incoming.clear();
        releaseHung();
        recomputeArmed();
        events.record(Role.OPERATOR, EventType.FAULTS_CLEARED, null, self, List.of(), "",
                was.isEmpty() ? "nothing was armed" : "cleared: " + String.join("; ", was), -1);
    }

    /** The faults armed now, described. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        points.values().forEach(p -> out.add(p.toString()));
        outgoing.values().forEach(m -> out.add("outgoing: " + m));
        incoming.values().forEach(m -> out.add("incoming: " + m));
        return out;
    }

    // ---------------------------------------------------------------- hooks

    static void hit(int replica, FaultPoint point, TxId tx) {
        if (!anyArmed) {
            return;
        }
        FaultInjector f = REPLICAS.get(replica);
        if (f != null) {
            f.fire(point, tx);
        }
    }

    /**
     * {@link FaultPoint#COORDINATOR_AFTER_PARTIAL_COMMIT}: when armed, the durable COMMIT of
     * {@code tx} goes first to the lower half of the other targets only (at least one), one by one,
     * and then the point fires. After a hang, normal phase two re-sends to everyone (idempotent).
     */
    static void partialCommit(int replica, TxId tx, Set<Integer> targets, PeerChannel channel) {
        FaultPoint point = FaultPoint.COORDINATOR_AFTER_PARTIAL_COMMIT;
        FaultInjector f = anyArmed ? REPLICAS.get(replica) : null;
        boolean armed = point.armedAtStart() || (f != null && f.points.containsKey(point));
        if (!armed) {
            return;
        }
        List<Integer> others = targets.stream().filter(r -> r != replica).sorted().toList();
        for (int r : others.subList(0, Math.max(1, others.size() / 2))) {
            try {
                channel.decide(r, tx, Decision.COMMIT);
            } catch (Exception e) {
                LOG.warn("partial COMMIT of {} to replica {} failed: {}", tx, r, Calls.describe(e));
            }
        }
        point.hit(replica, tx);
    }

    /** Before a call to {@code peer}: waits out a delay, or fails the call as a lost message would. */
    void beforeSend(int peer) throws ConnectException, InterruptedException {
        if (!anyArmed) {
            return;
        }
        FaultSpec.OnMessages m = outgoing.get(peer);
        if (m != null && apply(m)) {
            throw new ConnectException("message from replica " + self + " to replica " + peer + " dropped (injected fault)");
        }
    }

    /** Before serving a call from {@code sender} (-1 when unknown): waits out a delay, or refuses it as lost. */
    void beforeServe(int sender) throws InterruptedException {
        if (!anyArmed || sender == self || sender < 0) {
            return;
        }
        FaultSpec.OnMessages m = incoming.get(sender);
        if (m != null && apply(m)) {
            throw new MessageDroppedException("message from replica " + sender + " to replica " + self + " dropped (injected fault)");
        }
    }

    /** Waits out a delay; true when the message is to be dropped. */
    private static boolean apply(FaultSpec.OnMessages m) throws InterruptedException {
        if (m.action() == FaultSpec.MessageAction.DROP) {
            return true;
        }
        TimeUnit.NANOSECONDS.sleep(m.delay().toNanos());
        return false;
    }

    private void fire(FaultPoint point, TxId tx) {
        FaultSpec.AtPoint p = points.remove(point);
        if (p == null) {
            return;
        }
        recomputeArmed();
        events.record(Role.OPERATOR, EventType.FAULT_HIT, tx, self, List.of(), "", p.toString(), -1);
        if (p.action() == FaultSpec.Action.CRASH) {
            LOG.error("fault point {} reached: halting", point.id());
            crash.run();
            return;
        }
        LOG.warn("fault point {} reached by {}: hanging {}", point.id(), tx, p.hangFor().isZero() ? "until cleared" : "for " + p.hangFor());
        CountDownLatch latch = release;
        try {
            if (p.hangFor().isZero()) {
                latch.await();
            } else {
                latch.await(p.hangFor().toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("fault point {}: hang of {} over", point.id(), tx);
    }

    private void releaseHung() {
        CountDownLatch old = release;
        release = new CountDownLatch(1);
        old.countDown();
    }

    private static void recomputeArmed() {
        boolean any = false;
        for (FaultInjector f : REPLICAS.values()) {
            any |= !f.points.isEmpty() || !f.outgoing.isEmpty() || !f.incoming.isEmpty();
        }
        anyArmed = any;
    }

    /** A peer call refused by an injected fault: to the caller, a lost message. */
    public static final class MessageDroppedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MessageDroppedException(String message) {
            super(message);
        }
    }
}
