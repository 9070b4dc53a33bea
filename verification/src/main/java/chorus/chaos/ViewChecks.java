package chorus.chaos;

import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The membership checks of a chaos run, over what the replicas said about their views: one view per
 * epoch (two would mean two majorities agreed different things, the one thing the agreement exists
 * to prevent), no replica going back to an older epoch, no view below a majority of the configured
 * replicas; and, after healing, every replica a member of one and the same final view.
 */
public final class ViewChecks {

    static final String CHECK = "views";
    static final String FINAL_CHECK = "final view";

    /** How events and logs name a view: "epoch 3 {1,2,4,5}" ({@link View#text()}). */
    private static final Pattern VIEW_TEXT = Pattern.compile("epoch (\\d+) \\{(\\d+(?:,\\d+)*)\\}");

    private ViewChecks() {
    }

    /** The first view named in {@code text} (a VIEW_CHANGED event's reason, a log line), if any. */
    public static Optional<View> viewIn(String text) {
        Matcher m = VIEW_TEXT.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        List<Integer> members = new ArrayList<>();
        for (String id : m.group(2).split(",")) {
            members.add(Integer.parseInt(id));
        }
        return Optional.of(new View(Long.parseLong(m.group(1)), members));
    }

    /** Every rule over every observation; one anomaly per epoch, replica or view that breaks one. */
    public static List<Anomaly> check(List<ViewObservation> observations, List<Integer> configured) {
        List<Anomaly> out = new ArrayList<>(oneViewPerEpoch(observations));
        out.addAll(noEpochGoesBack(observations));
        out.addAll(majorities(observations, configured));
        return out;
    }

    /**
     * Two replicas (or one, at two moments) that knew different members for one epoch. The witness
     * has, for each version of the epoch, the first observation of it by each replica that knew it.
     */
    static List<Anomaly> oneViewPerEpoch(List<ViewObservation> observations) {
        Map<Long, Map<List<Integer>, Map<Integer, ViewObservation>>> byEpoch = new TreeMap<>();
        for (ViewObservation o : observations) {
            byEpoch.computeIfAbsent(o.view().epoch(), e -> new LinkedHashMap<>())
                    .computeIfAbsent(o.view().members(), m -> new TreeMap<>())
                    .putIfAbsent(o.replica(), o);
        }
        List<Anomaly> out = new ArrayList<>();
        byEpoch.forEach((epoch, versions) -> {
            if (versions.size() < 2) {
                return;
            }
            List<String> witness = new ArrayList<>();
            List<String> summary = new ArrayList<>();
            versions.forEach((members, byReplica) -> {
                summary.add(byReplica.values().iterator().next().view().text() + " at replicas " + byReplica.keySet());
                byReplica.values().forEach(o -> witness.add(o.describe()));
            });
            out.add(new Anomaly(CHECK, "two replicas knew different members for epoch " + epoch + ": " + String.join("; ", summary),
                    witness));
        });
        return out;
    }

    /**
     * A replica that answered with an older epoch than it had answered before: its view is durable
     * before it is used, so not even a restart may take it back. Only its answers to members() are
     * ordered for this (its log may record the end of a catch-up after a newer view).
     */
    static List<Anomaly> noEpochGoesBack(List<ViewObservation> observations) {
        Map<Integer, List<ViewObservation>> polls = new TreeMap<>();
        observations.stream().filter(o -> o.source() == ViewObservation.Source.POLL)
                .sorted(Comparator.comparingLong(ViewObservation::at))
                .forEach(o -> polls.computeIfAbsent(o.replica(), r -> new ArrayList<>()).add(o));
        List<Anomaly> out = new ArrayList<>();
        polls.forEach((replica, seen) -> {
            ViewObservation highest = null;
            for (ViewObservation o : seen) {
                if (highest != null && o.view().epoch() < highest.view().epoch()) {
                    out.add(new Anomaly(CHECK, "replica " + replica + " went back from epoch " + highest.view().epoch() + " to epoch "
                            + o.view().epoch(), List.of(highest.describe(), o.describe())));
                    return;
                }
                if (highest == null || o.view().epoch() > highest.view().epoch()) {
                    highest = o;
                }
            }
        });
        return out;
    }

    /** A view with fewer members than a majority of the configured replicas: a write could then live on a minority of disks. */
    static List<Anomaly> majorities(List<ViewObservation> observations, List<Integer> configured) {
        int majority = configured.size() / 2 + 1;
        Map<View, ViewObservation> small = new TreeMap<>(Comparator.comparingLong(View::epoch).thenComparing(View::text));
        for (ViewObservation o : observations) {
            if (o.view().members().size() < majority) {
                small.putIfAbsent(o.view(), o);
            }
        }
        List<Anomaly> out = new ArrayList<>();
        small.forEach((view, o) -> out.add(new Anomaly(CHECK, view.text() + " keeps fewer than a majority (" + majority + " of "
                + configured.size() + ") of the configured replicas", List.of(o.describe()))));
        return out;
    }

    /**
     * What keeps the replicas from having settled on one final view: every configured replica
     * answering, a member, done with its catch-up, holding a read lease, and all of them knowing
     * the same view. Empty once they have.
     *
     * @param statuses   what each replica that answered said
     * @param unanswered why each of the others did not answer
     */
    public static List<String> unsettled(List<Integer> configured, Map<Integer, MembershipStatus> statuses,
                                         Map<Integer, String> unanswered) {
        List<String> out = new ArrayList<>();
        for (int r : configured) {
            MembershipStatus s = statuses.get(r);
            if (s == null) {
                out.add("replica " + r + " does not answer: " + unanswered.getOrDefault(r, "no answer"));
            } else if (!s.member()) {
                out.add("replica " + r + " is " + s.role() + " at " + s.view().text()
                        + (s.catchUp() == null ? "" : " (" + s.catchUp().describe() + ")"));
            } else if (s.catchUp() != null) {
                out.add("replica " + r + " is a member of " + s.view().text() + " still finishing its catch-up ("
                        + s.catchUp().describe() + ")");
            } else if (!s.leaseHeld()) {
                out.add("replica " + r + " is a member of " + s.view().text() + " without a read lease (" + s.leaseProblem() + ")");
            }
        }
        Map<String, TreeSet<Integer>> views = new TreeMap<>();
        statuses.forEach((r, s) -> views.computeIfAbsent(s.view().text(), v -> new TreeSet<>()).add(r));
        if (views.size() > 1) {
            out.add("the replicas know different views: " + views.entrySet().stream()
                    .map(e -> e.getKey() + " at replicas " + e.getValue()).collect(Collectors.joining("; ")));
        }
        return out;
    }

    /** The anomaly for what is still unsettled (see {@link #unsettled}) once the recovery patience is over. */
    public static Anomaly notSettled(Duration patience, List<String> problems) {
        return new Anomaly(FINAL_CHECK, "after " + patience.toSeconds() + " s of recovery the replicas are not all members of one view",
                problems);
    }
}
