package chorus.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Security;
import chorus.api.config.Timeouts;
import chorus.api.InvalidRequestException;
import chorus.api.model.EventBatch;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReplicaStatus;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import chorus.server.ChildProcesses;
import chorus.server.LoopbackPorts;
import chorus.server.PeerSecrets;
import chorus.server.ReplicaMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real replica JVMs on loopback for integration tests: each replica is its own process with its own
 * port, data directory and log file under a work directory. Processes are stopped by their own
 * handles (pids), never by name, and a shutdown hook kills any the test forgot.
 */
public final class LocalCluster implements AutoCloseable {

    /** Short timeouts, so that failure tests take seconds; still long enough for a busy 2-core machine. */
    /**
     * Test replicas compile with C1 only. A replica costs about 3.2 s of CPU from launch to "up"
     * with C2 and 2.0 s without it, and the suite starts a few hundred of them on two cores;
     * tests measure behaviour, not speed (the benchmarks keep C2, see docs/performance.md).
     */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    public static final Timeouts TEST_TIMEOUTS = new Timeouts(Duration.ofMillis(1000), Duration.ofMillis(8000),
            Duration.ofMillis(1500), Duration.ofMillis(800), Duration.ofMillis(2000), Duration.ofMillis(3000),
            Duration.ofMillis(700), Duration.ofMillis(2), Duration.ofMillis(500), 200);

    private final Path workDir;
    private final ClusterConfig config;
    private final Path configFile;
    private final ReplicaConnector connector;
    private final ChildProcesses processes = new ChildProcesses("local-cluster");
    private volatile boolean allowFaults;
    private volatile java.util.function.IntFunction<List<String>> launchPrefix = id -> List.of();
    private volatile Jvm jvm = Jvm.forTests();

    /** How each replica's JVM starts, beyond {@link ReplicaMain#JVM_OPTIONS}: where its classes come from, and more options. */
    public record Jvm(String classpath, List<String> options) {

        public Jvm {
            options = List.copyOf(options);
        }

        /** Tests: this JVM's classes, C1 only ({@link #TEST_JVM_OPTIONS}). */
        public static Jvm forTests() {
            return new Jvm(System.getProperty("java.class.path"), TEST_JVM_OPTIONS);
        }

        /** Benchmarks: this JVM's classes, the full JIT, as {@code launch/cluster} runs a replica. */
        public static Jvm forBenchmarks() {
            return new Jvm(System.getProperty("java.class.path"), List.of());
        }

        /** The same options, the classes of {@code other} (another build's server jar and libraries). */
        public Jvm withClasspath(String other) {
            return new Jvm(other, options);
        }
    }

    private LocalCluster(Path workDir, ClusterConfig config) throws IOException {
        this.workDir = workDir;
        this.config = PeerSecrets.ensure(config, workDir);
        this.configFile = workDir.resolve("cluster.properties");
        Files.writeString(configFile, this.config.toProperties(), StandardCharsets.UTF_8);
        this.connector = new ReplicaConnector(this.config);
    }

    public static LocalCluster start(int replicas, Path workDir) {
        return start(replicas, workDir, TEST_TIMEOUTS);
    }

    /** Starts {@code replicas} replicas on free loopback ports and returns once every one answers. */
    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts) {
        return start(replicas, workDir, timeouts, Security.NONE);
    }

    /**
     * Like {@link #start(int, Path, Timeouts)}; with {@code allowFaults} every replica is started with
     * {@code --allow-faults} and accepts injected faults over its admin interface.
     */
    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts, boolean allowFaults) {
        return start(replicas, workDir, timeouts, Security.NONE, allowFaults);
    }

    /** The same, for a cluster with TLS and/or an operator token; the harness connects as the operator. */
    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts, Security security) {
        return start(replicas, workDir, timeouts, security, false);
    }

    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts, Security security, boolean allowFaults) {
        return startAll(create(replicas, workDir, timeouts, security), allowFaults);
    }

    /** Like {@link #start(int, Path, Timeouts, boolean)}, with writes coordinated as {@code coordination} says. */
    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts, boolean allowFaults, Coordination coordination) {
        return startAll(create(replicas, workDir, timeouts, Security.NONE, coordination), allowFaults);
    }

    /** Like {@link #start(int, Path, Timeouts, boolean, Coordination)}, each replica's JVM started as {@code jvm} says. */
    public static LocalCluster start(int replicas, Path workDir, Timeouts timeouts, Coordination coordination, Jvm jvm) {
        LocalCluster cluster = create(replicas, workDir, timeouts, Security.NONE, coordination);
        cluster.jvm = jvm;
        return startAll(cluster, false);
    }

    private static LocalCluster startAll(LocalCluster cluster, boolean allowFaults) {
        int replicas = cluster.config.size();
        cluster.allowFaults = allowFaults;
        try {
            for (int id = 1; id <= replicas; id++) {
                cluster.launch(id, Map.of());
            }
            for (int id = 1; id <= replicas; id++) {
                cluster.awaitUp(id);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Writes the cluster file on free ports without starting anything. */
    public static LocalCluster create(int replicas, Path workDir, Timeouts timeouts) {
        return create(replicas, workDir, timeouts, Security.NONE);
    }

    public static LocalCluster create(int replicas, Path workDir, Timeouts timeouts, Security security) {
        return create(replicas, workDir, timeouts, security, Coordination.RECEIVER);
    }

    public static LocalCluster create(int replicas, Path workDir, Timeouts timeouts, Security security, Coordination coordination) {
        try {
            Files.createDirectories(workDir);
            return new LocalCluster(workDir, new ClusterConfig(LoopbackPorts.replicas(replicas), timeouts, security, coordination));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts every replica of {@code config} (addresses, ports and settings as given, for example
     * peer ports or limits a test needs) and returns once every one answers.
     */
    public static LocalCluster start(ClusterConfig config, Path workDir) {
        return start(config, workDir, false);
    }

    /** The same, every replica started with {@code --allow-faults} when {@code allowFaults}. */
    public static LocalCluster start(ClusterConfig config, Path workDir, boolean allowFaults) {
        try {
            Files.createDirectories(workDir);
            return startAll(new LocalCluster(workDir, config), allowFaults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replicas started from now on accept injected faults ({@code --allow-faults}). */
    public LocalCluster allowFaults(boolean allow) {
        this.allowFaults = allow;
        return this;
    }

    /**
     * A cluster of the given addresses (for example hosts in network namespaces) without starting
     * anything; {@code launchPrefix} gives the command that each replica's java runs under (such as
     * {@code ip netns exec NS}), whose process must become the JVM itself (exec), so that its pid is the replica's.
     */
    public static LocalCluster onAddresses(Path workDir, List<ReplicaAddress> addresses, Timeouts timeouts,
                                           java.util.function.IntFunction<List<String>> launchPrefix) {
        return onAddresses(workDir, new ClusterConfig(addresses, timeouts), launchPrefix);
    }

    /** The same with every setting of {@code config} (its addresses, membership settings and so on). */
    public static LocalCluster onAddresses(Path workDir, ClusterConfig config, java.util.function.IntFunction<List<String>> launchPrefix) {
        try {
            Files.createDirectories(workDir);
            LocalCluster c = new LocalCluster(workDir, config);
            c.launchPrefix = launchPrefix;
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ClusterConfig config() {
        return config;
    }

    public Path configFile() {
        return configFile;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir(int id) {
        return workDir.resolve("data").resolve("replica-" + id);
    }

    public Path logFile(int id) {
        return workDir.resolve("replica-" + id + ".log");
    }

    public ReplicaAddress address(int id) {
        return config.require(id);
    }

    /** A fresh lookup of replica {@code id}'s services (stubs go stale when a replica restarts). */
    public ReplicaConnection connection(int id) {
        try {
            return connector.connect(config.require(id));
        } catch (RemoteException e) {
            throw new IllegalStateException("replica " + id + " is not reachable: " + e.getMessage(), e);
        }
    }

    public long pid(int id) {
        return process(id).pid();
    }

    public boolean isRunning(int id) {
        return processes.isAlive(id);
    }

    /** Starts replica {@code id} (after a kill or stop) and waits until it answers. */
    public void start(int id) {
        start(id, Map.of());
    }

    /** Starts replica {@code id} with extra system properties, for example {@code chorus.fault}. */
    public void start(int id, Map<String, String> systemProperties) {
        launch(id, systemProperties);
        awaitUp(id);
    }

    /** Starts replica {@code id} without waiting for it. */
    public synchronized void launch(int id, Map<String, String> systemProperties) {
        if (isRunning(id)) {
            throw new IllegalStateException("replica " + id + " is already running as pid " + pid(id));
        }
        config.require(id);
        List<String> cmd = new ArrayList<>(launchPrefix.apply(id));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ReplicaMain.JVM_OPTIONS);
        cmd.addAll(jvm.options());
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(jvm.classpath());
        cmd.add("chorus.server.ReplicaMain");
        cmd.add("--config");
        cmd.add(configFile.toString());
        cmd.add("--id");
        cmd.add(String.valueOf(id));
        cmd.add("--data");
        cmd.add(dataDir(id).toString());
        if (allowFaults) {
            cmd.add("--allow-faults");
        }
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
                    .start();
            processes.put(id, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + id, e);
        }
    }

    /**
     * Waits, at most 60 s, until each of {@code replicas} reads {@code value} for {@code key};
     * otherwise fails naming the replica that did not.
     */
    public void awaitValue(String key, String value, int... replicas) {
        await(key + " = " + value).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> {
                    for (int r : replicas) {
                        assertThat(connection(r).kv().get(key).value()).as("replica %d", r).isEqualTo(value);
                    }
                });
    }

    /**
     * Waits, at most 30 s, until replica {@code id} owes no decision (every one it coordinated is
     * acknowledged) and holds no lock: the window a crash test opened is closed.
     */
    public void awaitQuiet(int id) {
        await("replica " + id + " owes no decision and holds no lock").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> assertThat(connection(id).admin().diagnostics()).satisfies(d -> {
                    assertThat(d.undeliveredDecisions()).isZero();
                    assertThat(d.lockedKeys()).isZero();
                }));
    }

    /** Waits until replica {@code id} answers status calls; fails at once if its process died. */
    public void awaitUp(int id) {
        await("replica " + id + " up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Process p = process(id);
            if (!p.isAlive()) {
                throw new IllegalStateException("replica " + id + " exited with " + p.exitValue() + ": " + tail(id));
            }
            ClusterConfig theirs;
            try {
                theirs = connection(id).admin().membership();
            } catch (RuntimeException | RemoteException e) {
                return false;
            }
            if (!theirs.replicas().equals(config.replicas())) {
                // Another cluster (another test run on this machine) took the port between our probe and our bind.
                throw new IllegalStateException("a replica of another cluster answers on " + address(id).hostPort() + ": " + tail(id));
            }
            // HTTP starts after RMI: up means both, or the process exits saying why (the check above).
            return !address(id).servesHttp() || accepts(address(id).host(), address(id).httpPort());
        });
    }

    private static boolean accepts(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public ReplicaStatus status(int id) {
        try {
            return connection(id).admin().status();
        } catch (RemoteException e) {
            throw new IllegalStateException("replica " + id + " did not answer: " + e.getMessage(), e);
        }
    }

    /** Every event replica {@code id} still holds in its window, oldest first. */
    public List<ProtocolEvent> events(int id) {
        List<ProtocolEvent> all = new ArrayList<>();
        long cursor = 0;
        try {
            while (true) {
                EventBatch b = connection(id).admin().events(cursor, 1000);
                if (b.events().isEmpty()) {
                    return all;
                }
                all.addAll(b.events());
                cursor = b.cursor();
            }
        } catch (RemoteException | InvalidRequestException e) {
            throw new IllegalStateException("replica " + id + " did not list its events: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code key = value} through replica {@code coordinator}, started with a crash fault
     * armed ({@code chorus.fault}), until the fault halts it; a fresh JVM may miss a vote timeout on
     * its first writes, which abort and are tried again. Returns the process's exit status once it
     * has ended (137 for a halt at a fault point).
     */
    public int writeUntilHalted(int coordinator, String key, String value) {
        await("replica " + coordinator + " halts at its fault point").atMost(Duration.ofSeconds(60))
                .ignoreException(chorus.api.TransactionAbortedException.class).until(() -> {
                    try {
                        connection(coordinator).kv().put(key, value);
                        return false;
                    } catch (RemoteException halted) {
                        return true;
                    }
                });
        return awaitExit(coordinator, Duration.ofSeconds(30));
    }

    /** kill -9: the process gets no chance to flush or say goodbye. */
    public void kill(int id) {
        process(id);
        resume(id);
        processes.kill(id);
    }

    /** Graceful stop (SIGTERM), then kill if it does not go within 10 s. */
    public void stop(int id) {
        Process p = process(id);
        resume(id);
        p.destroy();
        if (!processes.awaitExit(id, Duration.ofSeconds(10))) {
            processes.kill(id);
        }
    }

    public void restart(int id) {
        kill(id);
        start(id);
    }

    /** SIGSTOP: the process keeps its sockets (the kernel still accepts connections) but answers nothing. */
    public void pause(int id) {
        if (!processes.signal(id, "STOP")) {
            throw new IllegalStateException("replica " + id + " is not running");
        }
    }

    public void resume(int id) {
        processes.signal(id, "CONT");
    }

    /** Waits for a process that is expected to exit by itself, for example at a fault point. */
    public int awaitExit(int id, Duration timeout) {
        Process p = process(id);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("replica " + id + " did not exit within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return p.exitValue();
    }

    /** The WARN and ERROR lines of replica {@code id}'s log, for a failure to quote. */
    public List<String> warnings(int id) {
        try {
            return Files.readAllLines(logFile(id), StandardCharsets.UTF_8).stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    public String tail(int id) {
        try {
            List<String> lines = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        processes.close();
    }

    private synchronized Process process(int id) {
        Process p = processes.get(id);
        if (p == null) {
            throw new IllegalStateException("replica " + id + " was never started");
        }
        return p;
    }
}
