package chorus.console.viewmodel;

import chorus.api.model.CatchUp;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.View;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Membership as the console pieces it together from every replica's polls: the newest view any
 * replica reports, each replica's role in it, and since when each replica has been failing (the
 * console's own count, from the first poll that failed). Plain Java, no JavaFX: the banner's and
 * the header's words are computed here, from a sequence of snapshots and a time.
 */
public final class MembershipTracker {

    /** A member of the newest view that writes cannot do without, and for how long it has failed. */
    public record Outage(int replica, boolean simulatedFailure, long sinceMillis) {

        long seconds(long nowMillis) {
            return Math.max(0, nowMillis - sinceMillis) / 1000;
        }

        String describe(long nowMillis) {
            return "replica " + replica + (simulatedFailure ? " in simulated failure" : " unreachable") + " for "
                    + seconds(nowMillis) + " s";
        }
    }

    /** What the last poll of one replica found; {@code failingSince} is -1 while it works. */
    private record Seen(ReplicaHealth health, boolean simulatedFailure, MembershipStatus membership, long failingSince) {

        boolean failing() {
            return failingSince >= 0;
        }

        /** Answering and not pretending to be crashed: it can take part in a view change. */
        boolean working() {
            return health == ReplicaHealth.UP && !simulatedFailure;
        }
    }

    private final Map<Integer, Seen> byReplica = new TreeMap<>();

    public void clear() {
        byReplica.clear();
    }

    public void apply(ReplicaSnapshot s) {
        if (s.health() == ReplicaHealth.UNKNOWN) {
            return;
        }
        Seen before = byReplica.get(s.id());
        boolean unreachable = s.health() == ReplicaHealth.UNREACHABLE;
        // An unreachable replica's snapshot carries its last status: whether it was switched to
        // simulated failure before it stopped answering says nothing about now.
        boolean simulated = !unreachable && s.lastStatus().map(ReplicaStatus::simulatedFailure).orElse(false);
        long since = -1;
        if (unreachable || simulated) {
            // Counted from the first failed poll, through a change from one kind of failure to the other.
            since = before != null && before.failing() ? before.failingSince() : s.observedAtMillis();
        }
        MembershipStatus m = s.membership() != null ? s.membership() : before == null ? null : before.membership();
        byReplica.put(s.id(), new Seen(s.health(), simulated, m, since));
    }

    /** The view of the highest epoch any replica reported (each epoch has one view). */
    public Optional<View> newestView() {
        return byReplica.values().stream().map(Seen::membership).filter(m -> m != null && m.view() != null)
                .map(MembershipStatus::view).max(Comparator.comparingLong(View::epoch));
    }

    /** The replica's role in the newest view; empty while no replica reported a view. */
    public Optional<MembershipRole> role(int replica) {
        return newestView().map(v -> MembershipRole.of(replica, v, reported(replica).map(MembershipStatus::catchUp).orElse(null)));
    }

    /** What the replica itself said of its membership at its last poll, if that poll answered. */
    public Optional<MembershipStatus> reported(int replica) {
        Seen s = byReplica.get(replica);
        return s == null || s.health() != ReplicaHealth.UP ? Optional.empty() : Optional.ofNullable(s.membership());
    }

    public Optional<CatchUp> catchUp(int replica) {
        return reported(replica).map(MembershipStatus::catchUp);
    }

    /** Members of the newest view that are unreachable or in simulated failure, the longest failing first. */
    public List<Outage> outages() {
        Optional<View> newest = newestView();
        if (newest.isEmpty()) {
            return List.of();
        }
        List<Outage> out = new ArrayList<>();
        byReplica.forEach((id, s) -> {
            if (s.failing() && newest.get().isMember(id)) {
                out.add(new Outage(id, s.simulatedFailure(), s.failingSince()));
            }
        });
        out.sort(Comparator.comparingLong(Outage::sinceMillis).thenComparingInt(Outage::replica));
        return out;
    }

    /** Replicas that are excluded (or learners) and answer: they can be asked to rejoin. */
    public List<Integer> readmittable() {
        List<Integer> out = new ArrayList<>();
        byReplica.forEach((id, s) -> {
            if (s.health() == ReplicaHealth.UP && role(id).filter(r -> r != MembershipRole.MEMBER).isPresent()) {
                out.add(id);
            }
        });
        return out;
    }

    /** Working members of the newest view other than {@code excluded}, lowest id first: who may propose the change. */
    public List<Integer> proposersFor(int excluded) {
        Optional<View> newest = newestView();
        List<Integer> out = new ArrayList<>();
        byReplica.forEach((id, s) -> {
            if (id != excluded && s.working() && newest.map(v -> v.isMember(id)).orElse(true)) {
                out.add(id);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- the words

    /** "epoch 2 · writes on 1, 2, 4, 5": the header; empty while no replica reported a view. */
    public String viewText() {
        return newestView().map(v -> "epoch " + v.epoch() + " · writes on " + list(v.members())).orElse("");
    }

    /** "writes need every member; replica 3 unreachable for 7 s": empty while every member works. */
    public String outageText(long nowMillis) {
        List<Outage> outages = outages();
        if (outages.isEmpty()) {
            return "";
        }
        return "writes need every member; " + outages.stream().map(o -> o.describe(nowMillis)).collect(Collectors.joining(", "));
    }

    /** Why {@code replica} can be readmitted: excluded, or a learner and how far its copy got. */
    public String readmitText(int replica) {
        Optional<CatchUp> c = catchUp(replica);
        if (c.isPresent()) {
            return "replica " + replica + " is a learner: " + c.get().describe();
        }
        return "replica " + replica + " is excluded from " + newestView().map(View::text).orElse("the view")
                + ": it serves no reads or writes until it is readmitted";
    }

    static String list(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
