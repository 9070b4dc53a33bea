package chorus.chaos;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.MembershipSettings;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The replica processes of a chaos run, on loopback ports, every one started with
 * {@code --allow-faults}. Processes are handled by their own pids: kill -9, SIGSTOP and SIGCONT,
 * restart; never by name. A shutdown hook kills whatever is left.
 */
final class ChaosCluster implements AutoCloseable {

    private final Path workDir;
    private final ClusterConfig config;
    private final Path configFile;
    private final ReplicaConnector connector;
    private final ChildProcesses processes = new ChildProcesses("chaos-cluster");
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();

    ChaosCluster(Path workDir, int replicas, Timeouts timeouts, Coordination coordination, MembershipSettings membership)
            throws IOException {
        this.workDir = workDir;
        Files.createDirectories(workDir);
        this.config = PeerSecrets.ensure(new ClusterConfig(LoopbackPorts.replicas(replicas), timeouts).withCoordination(coordination)
                .withMembership(membership), workDir);
        this.configFile = workDir.resolve("cluster.properties");
        Files.writeString(configFile, config.toProperties(), StandardCharsets.UTF_8);
        this.connector = new ReplicaConnector(timeouts);
    }

    ClusterConfig config() {
        return config;
    }

    List<Integer> ids() {
        return config.ids();
    }

    Path logFile(int id) {
        return workDir.resolve("replica-" + id + ".log");
    }

    void startAll(Duration patience) {
        for (int id : ids()) {
            launch(id);
        }
        for (int id : ids()) {
            awaitUp(id, patience);
        }
    }

    synchronized void launch(int id) {
        if (isRunning(id)) {
            throw new IllegalStateException("replica " + id + " is already running");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ReplicaMain.JVM_OPTIONS);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "chorus.server.ReplicaMain",
                "--config", configFile.toString(), "--id", String.valueOf(id),
                "--data", workDir.resolve("data").resolve("replica-" + id).toString(), "--allow-faults"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile())).start();
            processes.put(id, p);
            paused.remove(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + id, e);
        }
    }

    /** Waits until replica {@code id} answers; fails at once if its process died. */
    void awaitUp(int id, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Process p = processes.get(id);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException("replica " + id + " exited" + (p == null ? "" : " with " + p.exitValue())
                        + "; see " + logFile(id));
            }
            try {
                if (connection(id).admin().status().id() == id) {
                    return;
                }
            } catch (RemoteException | RuntimeException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica " + id + " did not answer within " + patience.toSeconds() + " s; see " + logFile(id));
            }
            pauseBriefly(100);
        }
    }

    boolean isRunning(int id) {
        return processes.isAlive(id);
    }

    boolean isPaused(int id) {
        return paused.contains(id);
    }

    ReplicaConnection connection(int id) throws RemoteException {
        return connector.connect(config.require(id));
    }

    ReplicaAddress address(int id) {
        return config.require(id);
    }

    /** kill -9. */
    void kill(int id) {
        resume(id);
        processes.kill(id);
    }

    /** True if the process exited within {@code timeout}. */
    boolean awaitExit(int id, Duration timeout) {
        return processes.awaitExit(id, timeout);
    }

    void pause(int id) {
        if (processes.signal(id, "STOP")) {
            paused.add(id);
        }
    }

    void resume(int id) {
        if (paused.remove(id)) {
            processes.signal(id, "CONT");
        }
    }

    @Override
    public void close() {
        processes.close();
    }

    static void pauseBriefly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
