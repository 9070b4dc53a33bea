package chorus.sim;

import chorus.api.model.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every membership view any replica of a lifetime knew as agreed, by epoch: two different views of
 * one epoch would mean two majorities agreed different things, the one thing the agreement exists
 * to prevent.
 */
final class ViewRecord {

    private final Map<Long, View> byEpoch = new TreeMap<>();
    private final Map<Long, Integer> firstHolder = new TreeMap<>();
    private final List<String> anomalies = new ArrayList<>();

    synchronized void saw(int replica, View view) {
        View earlier = byEpoch.putIfAbsent(view.epoch(), view);
        firstHolder.putIfAbsent(view.epoch(), replica);
        if (earlier != null && !earlier.equals(view)) {
            anomalies.add("two views of epoch " + view.epoch() + ": replica " + firstHolder.get(view.epoch()) + " knew "
                    + earlier.text() + ", replica " + replica + " knew " + view.text());
        }
    }

    synchronized View latest() {
        return ((TreeMap<Long, View>) byEpoch).lastEntry().getValue();
    }

    synchronized int changes() {
        return byEpoch.size() - 1;
    }

    synchronized List<String> anomalies() {
        return List.copyOf(anomalies);
    }
}
