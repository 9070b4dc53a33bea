package chorus.chaos;

import chorus.api.ReplicaAdmin;
import chorus.api.model.EventBatch;
import chorus.api.model.EventType;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.View;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches what every replica says about its view while a chaos run goes on: one thread per replica
 * asks it for {@code members()} every {@code every} (one thread each, so that a paused replica holds
 * up only its own), and records each view it has not answered with before. At the end, what the
 * replicas wrote down themselves joins in: the VIEW_CHANGED events in each one's event log (this
 * incarnation's) and the VIEW_CHANGED lines of its log file (every incarnation's). {@link ViewChecks}
 * judges the lot.
 */
final class ViewWatcher implements AutoCloseable {

    private final ChaosCluster cluster;
    private final History history;
    private final Duration every;
    private final List<ViewObservation> observations = new ArrayList<>();
    private final Map<Integer, MembershipStatus> latest = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    ViewWatcher(ChaosCluster cluster, History history, Duration every) {
        this.cluster = cluster;
        this.history = history;
        this.every = every;
    }

    void start() {
        for (int r : cluster.ids()) {
            Thread t = new Thread(() -> watch(r), "view-watcher-" + r);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void watch(int replica) {
        ReplicaAdmin admin = null;
        View last = null;
        while (!stopped) {
            try {
                if (admin == null) {
                    admin = cluster.connection(replica).admin();
                }
                MembershipStatus s = admin.members();
                latest.put(replica, s);
                if (!s.view().equals(last)) {
                    last = s.view();
                    record(new ViewObservation(replica, s.view(), ViewObservation.Source.POLL, history.now(), ""));
                }
            } catch (Exception e) {
                // Down, paused past the read timeout, or restarted (a stale stub): look it up afresh.
                admin = null;
                latest.remove(replica);
            }
            ChaosCluster.pauseBriefly(every.toMillis());
        }
    }

    private void record(ViewObservation o) {
        synchronized (observations) {
            observations.add(o);
        }
    }

    /**
     * The replicas out of the write set as last seen: those that did not answer their latest poll,
     * and those that are no voting member ({@link MembershipChanges#votingMember}).
     */
    Set<Integer> outOfWriteSet() {
        Set<Integer> out = new TreeSet<>();
        for (int r : cluster.ids()) {
            MembershipStatus s = latest.get(r);
            if (s == null || !MembershipChanges.votingMember(s)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Stops the polling and waits for each poll under way (closing again does nothing more). */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(cluster.config().timeouts().read().toMillis() + every.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Everything recorded, with the VIEW_CHANGED events and log lines of every replica read now;
     * a replica whose event log cannot be read leaves a note in {@code problems} (its log file still counts).
     */
    List<ViewObservation> observations(List<String> problems) {
        List<ViewObservation> all;
        synchronized (observations) {
            all = new ArrayList<>(observations);
        }
        for (int r : cluster.ids()) {
            try {
                all.addAll(events(r, cluster.connection(r).admin()));
            } catch (Exception e) {
                problems.add("replica " + r + "'s event log could not be read: " + ChaosClient.describe(e));
            }
            try {
                all.addAll(logLines(r, cluster.logFile(r)));
            } catch (IOException e) {
                problems.add(cluster.logFile(r) + " could not be read: " + e.getMessage());
            }
        }
        return all;
    }

    /** The views named by the VIEW_CHANGED events still in replica {@code r}'s event log. */
    static List<ViewObservation> events(int r, ReplicaAdmin admin) throws Exception {
        List<ViewObservation> out = new ArrayList<>();
        long cursor = 0;
        while (true) {
            EventBatch batch = admin.events(cursor, ReplicaAdmin.MAX_PAGE);
            for (ProtocolEvent e : batch.events()) {
                if (e.type() == EventType.VIEW_CHANGED) {
                    ViewChecks.viewIn(e.reason()).ifPresent(v -> out.add(new ViewObservation(r, v, ViewObservation.Source.EVENT,
                            e.seq(), e.reason())));
                }
            }
            if (batch.events().isEmpty() || batch.cursor() <= cursor) {
                return out;
            }
            cursor = batch.cursor();
        }
    }

    /**
     * How the replica's EventLog writes a VIEW_CHANGED event to its log ("{role} {type} tx=..."):
     * other lines may quote a view too (a NO vote names the voter's), but only these say what this
     * replica knew.
     */
    static final String LOGGED_EVENT = "MEMBERSHIP VIEW_CHANGED tx=";

    /** The views named by the VIEW_CHANGED lines of a replica's log file (every event is logged there, at WARN). */
    static List<ViewObservation> logLines(int r, Path log) throws IOException {
        List<ViewObservation> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        // A replica killed mid-line may leave bytes that are no UTF-8: the reader replaces them.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                int at = line.indexOf(LOGGED_EVENT);
                if (at >= 0) {
                    long n = number;
                    String line0 = line;
                    ViewChecks.viewIn(line.substring(at)).ifPresent(v -> out.add(new ViewObservation(r, v, ViewObservation.Source.LOG, n,
                            line0.trim())));
                }
            }
        }
        return out;
    }
}
