package chorus.server.protocol;

import chorus.api.model.TxId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named places in the protocol where a failure drill can crash or hang the replica (in the manner
 * of Ratis' {@code CodeInjectionForTesting}). Two ways to arm one: {@code -Dchorus.fault=POINT} at
 * start halts the replica the first time it passes POINT; a replica started with
 * {@code --allow-faults} also accepts crash or hang faults over the admin interface
 * ({@link FaultInjector}). A simulator may also {@link #observe} every point passed. Costs two volatile
 * reads per point when nothing is armed.
 */
public enum FaultPoint {
    /** Coordinator: PREPARE has gone out to every replica; no vote counted yet. */
    COORDINATOR_AFTER_PREPARE_SENT,
    /**
     * Coordinator: every member's YES is in and durable, this replica's own included, so the
     * transaction is committed (parallel commit); no COMMIT record is written, nobody told, the
     * client not answered. A crash here leaves a restarted coordinator only its prepare record, and
     * it must ask every member to find the transaction committed.
     */
    COORDINATOR_BEFORE_COMMIT_RECORD,
    /** Coordinator: the COMMIT record is written (not synced: the prepares are what is durable); no replica has been told. */
    COORDINATOR_AFTER_DECISION,
    /** Coordinator: the COMMIT decision is durable and has reached only some replicas (see {@link FaultInjector#partialCommit}). */
    COORDINATOR_AFTER_PARTIAL_COMMIT,
    /**
     * Coordinator: the COMMIT is durable and applied here and the client has been answered (or the
     * answer is leaving); the decision is about to leave for another replica, which has not
     * acknowledged it. A crash here leaves an answered write that some replicas only hold prepared.
     */
    COORDINATOR_AFTER_ANSWER,
    /** Participant: holds the locks and has checked versions; the prepare is not yet durable, no vote sent. */
    PARTICIPANT_BEFORE_VOTE,
    /** Participant: the prepare is durable and the transaction PREPARED; the YES vote is about to leave. */
    PARTICIPANT_AFTER_VOTE,
    /** Participant: voted YES earlier and is about to apply the decision it just received. */
    PARTICIPANT_ON_DECISION,
    /** Learner: a page of a member's keys is installed here, not synced; the snapshot goes on. */
    LEARNER_AFTER_SNAPSHOT_PAGE,
    /**
     * Learner: the view with this replica is agreed, and its final sync (the last commits of the
     * epoch before, the transactions in doubt there) is not done: it may not vote or read yet.
     */
    LEARNER_AFTER_READMISSION;

    private static final Logger LOG = LoggerFactory.getLogger(FaultPoint.class);
    /** Fixed at class initialisation: no volatile read on the hot path. */
    private static final FaultPoint ARMED_AT_START = parse(System.getProperty("chorus.fault"));
    /** Told of every point passed, when set: how a simulator crashes a replica exactly at a point. */
    private static volatile Observer observer;

    /** Sees every point that any replica of this JVM passes. */
    @FunctionalInterface
    public interface Observer {
        void passed(FaultPoint point, int replica, TxId tx);
    }

    /** Installs {@code o} (null: none) as the one observer of this JVM's points. */
    public static void observe(Observer o) {
        observer = o;
    }

    /** The point named {@code name} ({@code coordinator-after-decision} or its enum name); null for blank. */
    public static FaultPoint parse(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Like {@link #parse} but empty for unknown names. */
    public static Optional<FaultPoint> find(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(p -> p.name().equals(wanted)).findFirst();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Called by {@code replica} when it passes this point while working on {@code tx}: halts if the
     * point was armed at start, crashes or hangs if a fault was injected here.
     */
    public void hit(int replica, TxId tx) {
        if (ARMED_AT_START == this) {
            LOG.error("fault point {} reached: halting", id());
            Runtime.getRuntime().halt(137);
        }
        Observer o = observer;
        if (o != null) {
            o.passed(this, replica, tx);
        }
        FaultInjector.hit(replica, this, tx);
    }

    boolean armedAtStart() {
        return ARMED_AT_START == this;
    }
}
