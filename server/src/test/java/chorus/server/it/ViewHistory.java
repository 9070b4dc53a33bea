package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.View;
import chorus.server.testing.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every view any replica of a cluster reports, from its {@code members()} and from the
 * {@code VIEW_CHANGED} events of every replica ("epoch 3 {1,2,4} agreed by replicas ..." at a
 * proposer, "replica 5 now knows epoch 3 {1,2,4}; ..." at every replica that learns it), checked to be
 * one history: one view per epoch, whoever reports it.
 */
final class ViewHistory {

    private static final Pattern VIEW = Pattern.compile("epoch (\\d+) \\{([0-9,]+)}");

    /** Epoch to its view, as every report agrees. */
    final Map<Long, View> views = new TreeMap<>();
    /** Every VIEW_CHANGED event of every replica, for the tests' own questions. */
    final List<ProtocolEvent> events = new ArrayList<>();

    private ViewHistory() {
    }

    /**
     * Collects the views every running replica of {@code replicas} reports and fails, naming both
     * reports, if two of them give one epoch different members.
     */
    static ViewHistory collect(LocalCluster cluster, int... replicas) throws Exception {
        ViewHistory h = new ViewHistory();
        Map<Long, String> firstReport = new TreeMap<>();
        // Epoch 1 is every configured replica, and no event announces it.
        h.add(View.initial(cluster.config().ids()), "the cluster file", firstReport);
        for (int r : replicas) {
            h.add(cluster.connection(r).admin().members().view(), "replica " + r + "'s members()", firstReport);
            for (ProtocolEvent e : cluster.events(r)) {
                if (e.type() != EventType.VIEW_CHANGED) {
                    continue;
                }
                h.events.add(e);
                Matcher m = VIEW.matcher(e.reason());
                if (!m.find()) {
                    fail("replica %d reported a view change without a view: %s", r, e.reason());
                }
                List<Integer> members = new ArrayList<>();
                for (String id : m.group(2).split(",")) {
                    members.add(Integer.parseInt(id));
                }
                h.add(new View(Long.parseLong(m.group(1)), members), "replica " + r + "'s event \"" + e.reason() + "\"", firstReport);
            }
        }
        return h;
    }

    private void add(View view, String source, Map<Long, String> firstReport) {
        View known = views.putIfAbsent(view.epoch(), view);
        if (known == null) {
            firstReport.put(view.epoch(), source);
        } else if (!known.equals(view)) {
            fail("two views of epoch %d: %s from %s, and %s from %s", view.epoch(), known.text(), firstReport.get(view.epoch()),
                    view.text(), source);
        }
    }

    /**
     * Asserts that the epochs run 1, 2, ... without a gap up to the newest, and that each view differs from the one before by one replica (an
     * operator's exclusion or readmission changes one) and keeps a majority of {@code configured}.
     */
    void assertOneChainOfSingleChanges(int configured) {
        long newest = views.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(views.keySet()).as("every epoch up to %d is reported by some replica", newest)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, newest).boxed().toList());
        for (long e = 2; e <= newest; e++) {
            View before = views.get(e - 1);
            View after = views.get(e);
            int changed = (int) before.members().stream().filter(r -> !after.isMember(r)).count()
                    + (int) after.members().stream().filter(r -> !before.isMember(r)).count();
            assertThat(changed).as("%s follows %s by one exclusion or readmission", after.text(), before.text()).isEqualTo(1);
            assertThat(after.members().size()).as("%s keeps a majority of %d", after.text(), configured)
                    .isGreaterThanOrEqualTo(configured / 2 + 1);
        }
    }

    View newest() {
        return views.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    /** The earliest time (wall clock, ms) any of {@code replicas} recorded that it knew {@code epoch}'s view. */
    long firstKnownMillis(long epoch, int... replicas) {
        return events.stream()
                .filter(e -> java.util.Arrays.stream(replicas).anyMatch(r -> r == e.replica()))
                .filter(e -> e.reason().startsWith("replica " + e.replica() + " now knows epoch " + epoch + " {"))
                .mapToLong(ProtocolEvent::timeMillis).min()
                .orElseThrow(() -> new AssertionError("no replica of " + java.util.Arrays.toString(replicas) + " reported knowing epoch "
                        + epoch));
    }
}
