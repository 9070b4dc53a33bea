package chorus.console.viewmodel;

import chorus.api.model.ReplicaStatus;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import java.util.HashMap;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Commit and abort rates and commit latency from the replicas' counters. Every replica counts the
 * transactions it coordinated, so the cluster's rate is the sum of the replicas' rates; latency is
 * the worst p50 and p99 among the replicas.
 */
public final class MetricsViewModel {

    /** Two minutes at one sample a second. */
    public static final int WINDOW = 120;

    private final Map<Integer, ReplicaStatus> latest = new HashMap<>();
    private final Map<Integer, ReplicaStatus> previous = new HashMap<>();
    private final ObservableList<MetricSample> samples = FXCollections.observableArrayList();
    private long origin = -1;
    private long lastSampleAt = -1;

    public void clear() {
        latest.clear();
        previous.clear();
        samples.clear();
        origin = -1;
        lastSampleAt = -1;
    }

    public void apply(ReplicaSnapshot snapshot) {
        if (snapshot.health() == ReplicaHealth.UP && snapshot.status() != null) {
            latest.put(snapshot.id(), snapshot.status());
        } else {
            latest.remove(snapshot.id());
        }
    }

    /** Takes one sample; called about once a second on the UI thread. */
    public void sample(long nowMillis) {
        if (origin < 0) {
            origin = nowMillis;
        }
        double elapsed = lastSampleAt < 0 ? 0 : (nowMillis - lastSampleAt) / 1000.0;
        double commits = 0;
        double aborts = 0;
        long p50 = -1;
        long p99 = -1;
        for (Map.Entry<Integer, ReplicaStatus> e : latest.entrySet()) {
            ReplicaStatus now = e.getValue();
            ReplicaStatus before = previous.get(e.getKey());
            // A restart resets the counters: skip that replica for one sample rather than plot a negative rate.
            if (before != null && before.startedAtMillis() == now.startedAtMillis() && elapsed > 0) {
                commits += Math.max(0, now.commits() - before.commits()) / elapsed;
                aborts += Math.max(0, now.aborts() - before.aborts()) / elapsed;
            }
            p50 = Math.max(p50, now.commitP50Micros());
            p99 = Math.max(p99, now.commitP99Micros());
        }
        previous.clear();
        previous.putAll(latest);
        lastSampleAt = nowMillis;
        if (elapsed > 0) {
            samples.add(new MetricSample((nowMillis - origin) / 1000.0, commits, aborts,
                    p50 < 0 ? Double.NaN : p50 / 1000.0, p99 < 0 ? Double.NaN : p99 / 1000.0));
            if (samples.size() > WINDOW) {
                samples.remove(0, samples.size() - WINDOW);
            }
        }
    }

    public ObservableList<MetricSample> samples() {
        return samples;
    }
}
