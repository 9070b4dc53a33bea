package chorus.bench.ycsb;

import chorus.bench.harness.WorkloadRunner;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a YCSB client of either binding connects: client {@code t} of a harness run (property
 * {@link WorkloadRunner#CLIENT_PROPERTY}) to server {@code t + 2}, round-robin; without the property,
 * the next server after the last one taken in this JVM.
 *
 * <p>Fixed per run, not per JVM, so that the two builds of a {@code --baseline} pair put their
 * clients on the same replicas; and from the third server, so that the one client of a 1-thread run
 * is on replica 3, not on Chorus's leader (replica 1 under leader coordination, where a write takes
 * one round trip less), and on ZooKeeper's server 3 (a follower unless it won the election; the
 * leader is usually the highest id). Until this was fixed, where a client sat depended on how many
 * came before it in the JVM: the first of a full run's repetitions put both systems' lone client on
 * the third server, the later ones and the builds of a pair elsewhere.
 */
final class Placement {

    private Placement() {
    }

    /** The server of {@code servers} that this client connects to; {@code next} is the binding's own counter. */
    static <T> T server(Properties props, List<T> servers, AtomicInteger next) {
        String client = props.getProperty(WorkloadRunner.CLIENT_PROPERTY);
        int index = client == null ? next.getAndIncrement() : Integer.parseInt(client) + 2;
        return servers.get(Math.floorMod(index, servers.size()));
    }
}
