package chorus.api.model;

import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A membership view: an epoch and the replicas that are its members, the write set. Every write of
 * the epoch is prepared and committed on every member and on no other replica; a configured replica
 * outside the view is excluded (or, while it copies the data to rejoin, a learner). Views are agreed
 * by a majority of the configured replicas; epochs only grow, and each epoch has one view.
 */
public record View(long epoch, List<Integer> members) implements Serializable {

    public View {
        if (epoch < 1) {
            throw new IllegalArgumentException("a view's epoch starts at 1, not " + epoch);
        }
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a view has at least one member");
        }
        members = List.copyOf(new TreeSet<>(members));
    }

    /** The first view of a cluster: every configured replica is a member. */
    public static View initial(List<Integer> configured) {
        return new View(1, configured);
    }

    /**
     * The replica that takes every transaction's locks first in this epoch: its lowest-id member,
     * so that every coordinator of the epoch agrees on it without asking.
     */
    public int lockPrimary() {
        return members.get(0);
    }

    public boolean isMember(int replica) {
        return members.contains(replica);
    }

    /** The next epoch's view with {@code replica} left out. */
    public View without(int replica) {
        return new View(epoch + 1, members.stream().filter(r -> r != replica).toList());
    }

    /** The next epoch's view with {@code replica} added. */
    public View with(int replica) {
        TreeSet<Integer> next = new TreeSet<>(members);
        next.add(replica);
        return new View(epoch + 1, List.copyOf(next));
    }

    /** "epoch 3 {1,2,4,5}": how logs, events and the command line name a view. */
    public String text() {
        return "epoch " + epoch + " " + members.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String toString() {
        return text();
    }
}
