package chorus.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One process of the simulated world: an incarnation of a replica (a new one after each restart),
 * or the clients. Every simulated thread belongs to one; crashing a host kills its threads, and
 * pausing it (SIGSTOP) holds them where they are, along with every event meant for them.
 */
final class Host {

    final String name;
    /** The replica's id, or 0 for the clients. */
    final int replica;
    /** This process's clock reads the simulated time plus this offset (clocks of machines differ). */
    final long clockOffsetNanos;
    final Set<SimThread> threads = new LinkedHashSet<>();
    /** Events held while paused, in the order they came due. */
    final List<Runnable> deferred = new ArrayList<>();
    boolean alive = true;
    boolean paused;
    /** Told of every place where the simulator may crash this process (a fault point, a synced write). */
    Consumer<String> crashPoints = where -> { };

    Host(String name, int replica, long clockOffsetNanos) {
        this.name = name;
        this.replica = replica;
        this.clockOffsetNanos = clockOffsetNanos;
    }

    void passed(String where) {
        crashPoints.accept(where);
    }

    @Override
    public String toString() {
        return name;
    }
}
