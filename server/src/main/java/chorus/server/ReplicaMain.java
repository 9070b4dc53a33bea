package chorus.server;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.server.protocol.StorageException;
import chorus.server.transport.KnownClasses;
import chorus.server.transport.RmiServer;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.server.ExportException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one replica in the foreground until it is stopped (SIGTERM or SIGINT). */
@Command(name = "chorus-replica", mixinStandardHelpOptions = true,
        description = "Runs one Chorus replica: serves clients, coordinates their writes, takes part in its peers' writes.")
public final class ReplicaMain implements Callable<Integer> {

    /**
     * The JVM options a replica is started with by every launcher in the project (the test and
     * benchmark clusters, the chaos harness; {@code launch/cluster} spells the same in its
     * default). The serial collector: five JVMs share two cores. A replica's data is off the heap,
     * so the heap starts small with a small young generation (24 MB): with the JVM's defaults on a
     * large machine it was committed at its 256 MB cap from the start, and a replica under
     * sustained writes sat at 310-320 MB resident, against 215-225 MB so, at no cost in
     * throughput. The cap stays for bursts such as batches at the size limit
     * ({@code ReplicatedWritesIT}). The export lets the replica's read-only registry extend the
     * JDK's ({@code ReadOnlyRegistry}); {@link #REQUIRED_JVM_OPTIONS} are those a replica cannot
     * start without.
     *
     * <p>{@link #INLINING_OPTIONS}: C2 inlines less than its defaults. With them, C2 compiled
     * methods of 50-80 KB of code with 8,000 bytes inlined, up to 1.5 s of CPU each, and five
     * replicas on two cores spent half their CPU in the compiler during the first minute of writes
     * (docs/performance.md, "The JIT's warm-up"). Less inlining makes each compile smaller, so the
     * replicas reach their compiled code sooner, at no cost found at steady state; inlining less
     * still (level 4, 300 / 15 / 50 bytes) cost a tenth more CPU per write.
     */
    public static final List<String> REQUIRED_JVM_OPTIONS = List.of("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED");
    public static final List<String> INLINING_OPTIONS = List.of("-XX:MaxInlineLevel=6", "-XX:InlineSmallCode=500", "-XX:MaxInlineSize=20",
            "-XX:FreqInlineSize=100");
    public static final List<String> JVM_OPTIONS = Stream.of(List.of("-Xms64m", "-Xmn24m", "-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto"),
            INLINING_OPTIONS, REQUIRED_JVM_OPTIONS).flatMap(List::stream).toList();

    static final int EXIT_CONFIG = 2;
    static final int EXIT_STORAGE = 3;
    static final int EXIT_NETWORK = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMain.class);

    @Option(names = "--config", required = true, description = "cluster file (replica.N = host:port, timeouts)")
    Path config;

    @Option(names = "--id", required = true, description = "this replica's id in the cluster file")
    int id;

    @Option(names = "--data", required = true, description = "this replica's data directory (created if missing)")
    Path data;

    @Option(names = "--allow-faults", description = "accept injected faults (crash, hang, dropped or delayed messages) "
            + "over the admin interface; for failure drills and chaos tests only")
    boolean allowFaults;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicaMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ClusterConfig cluster;
        ReplicaAddress self;
        try {
            cluster = ClusterConfig.load(config);
            self = cluster.require(id);
        } catch (ConfigException e) {
            return fail(EXIT_CONFIG, e.getMessage());
        }
        // Stubs carry this host name: it must be the configured address, not whatever the JVM guesses.
        System.setProperty("java.rmi.server.hostname", self.host());
        // The operator's admin stub is a capability: its object id must not be guessable.
        System.setProperty("java.rmi.server.randomIDs", "true");
        // The server end of a connection waits for the next call in one blocking read. RMI's
        // default, a two-hour SO_TIMEOUT, makes every such wait EAGAIN, poll and read again. Idle
        // connections still end: callers close theirs after 15 s idle, the kernel closes those of a
        // process that dies, TCP keep-alive (BoundServerSocketFactory) those of a lost machine, and
        // the replica's IdleReaper any left waiting past limits.idle-timeout.ms.
        if (System.getProperty("sun.rmi.transport.tcp.readTimeout") == null) {
            System.setProperty("sun.rmi.transport.tcp.readTimeout", "0");
        }
        // RMI resolves the class of every object a call carries, every call: remembered (KnownClasses).
        KnownClasses.install();
        try {
            RmiServer.requireRegistryAccess();
        } catch (IllegalAccessError e) {
            return fail(EXIT_CONFIG, "replica " + id + " needs the JVM option " + String.join(" ", REQUIRED_JVM_OPTIONS)
                    + " (its registry is made read-only by extending the JDK's): " + e.getMessage());
        }
        Replica replica;
        try {
            replica = Replica.start(id, cluster, data, allowFaults);
        } catch (StorageException e) {
            return fail(EXIT_STORAGE, "replica " + id + ": " + e.getMessage());
        } catch (ConfigException e) {
            return fail(EXIT_CONFIG, "replica " + id + ": " + e.getMessage());
        } catch (ExportException e) {
            String why = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return fail(EXIT_NETWORK, "replica " + id + " cannot listen on " + self.hostPort() + ": "
                    + (why.contains("in use") ? "port already in use" : why));
        } catch (RemoteException e) {
            return fail(EXIT_NETWORK, "replica " + id + " cannot serve on " + self.hostPort() + ": " + e.getMessage());
        } catch (java.io.IOException e) {
            // HTTP: the message names the host and port.
            return fail(EXIT_NETWORK, e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("replica {} stopping", id);
            replica.close();
            stopped.countDown();
        }, "shutdown"));
        if (allowFaults) {
            LOG.warn("replica {} accepts injected faults (--allow-faults): never run it so in production", id);
        }
        String ready = "replica " + id + " ready on " + self.hostPort() + " (" + replica.store().keyCount() + " keys, data in " + data + ")";
        LOG.info(ready);
        System.out.println(ready);
        stopped.await();
        return 0;
    }

    private static int fail(int code, String message) {
        LOG.error(message);
        System.err.println("error: " + message);
        return code;
    }
}
