package chorus.bench.harness;

import chorus.bench.ycsb.ZooKeeperClient;
import chorus.server.ChildProcesses;
import chorus.server.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.apache.zookeeper.ZooKeeper;
import site.ycsb.DBException;

/**
 * A fresh ZooKeeper ensemble on loopback: one QuorumPeerMain JVM per server, each with its own
 * config file, client, peer and election ports, data directory (with {@code myid}) and log file,
 * and forceSync on, so that a write is fsynced by a quorum before it is acknowledged, as a Chorus
 * write is by every replica. Stopped by process handle, never by name.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    private final Path workDir;
    private final ChildProcesses processes = new ChildProcesses("zookeeper");
    private final List<Integer> clientPorts = new ArrayList<>();

    private ZooKeeperEnsemble(Path workDir) {
        this.workDir = workDir;
    }

    /** Starts {@code servers} servers with {@code jvmOptions} each and returns once every one serves a session. */
    public static ZooKeeperEnsemble start(int servers, Path workDir, List<String> jvmOptions) throws IOException {
        Files.createDirectories(workDir);
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(workDir);
        try {
            List<Integer> ports = LoopbackPorts.free(servers * 3);
            StringBuilder peers = new StringBuilder();
            for (int id = 1; id <= servers; id++) {
                peers.append("server.").append(id).append("=127.0.0.1:").append(ports.get(3 * (id - 1) + 1)).append(':')
                        .append(ports.get(3 * (id - 1) + 2)).append('\n');
            }
            for (int id = 1; id <= servers; id++) {
                int clientPort = ports.get(3 * (id - 1));
                ensemble.clientPorts.add(clientPort);
                ensemble.launch(id, clientPort, peers.toString(), jvmOptions);
            }
            ensemble.awaitServing(java.time.Duration.ofSeconds(90));
            return ensemble;
        } catch (IOException | RuntimeException e) {
            ensemble.close();
            throw e;
        }
    }

    private void launch(int id, int clientPort, String peers, List<String> jvmOptions) throws IOException {
        Path data = workDir.resolve("zk-" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), id + "\n", StandardCharsets.US_ASCII);
        Path cfg = workDir.resolve("zk-" + id + ".cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=2000",
                "initLimit=10",
                "syncLimit=5",
                "dataDir=" + data,
                "clientPort=" + clientPort,
                "clientPortAddress=127.0.0.1",
                // Every benchmark client comes from 127.0.0.1: no per-address connection cap.
                "maxClientCnxns=0",
                "admin.enableServer=false",
                "forceSync=yes",
                "autopurge.purgeInterval=0",
                peers), StandardCharsets.US_ASCII);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dzookeeper.forceSync=yes");
        cmd.add("-Dzookeeper.admin.enableServer=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
        cmd.add(cfg.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("zk-" + id + ".log").toFile()))
                .start();
        processes.put(id, p);
    }

    /** Waits until every server accepts a session and answers a read (so the quorum has formed). */
    private void awaitServing(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < clientPorts.size(); i++) {
            String server = "127.0.0.1:" + clientPorts.get(i);
            while (true) {
                Process p = processes.get(i + 1);
                if (!p.isAlive()) {
                    throw new IllegalStateException("ZooKeeper server " + (i + 1) + " exited with " + p.exitValue()
                            + "; see " + workDir.resolve("zk-" + (i + 1) + ".log"));
                }
                try {
                    ZooKeeper zk = ZooKeeperClient.connect(server, 3000);
                    try {
                        zk.exists("/", false);
                        break;
                    } finally {
                        zk.close();
                    }
                } catch (DBException | org.apache.zookeeper.KeeperException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ZooKeeper server " + server + " did not serve within " + timeout
                                + ": " + e.getMessage(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for ZooKeeper", e);
                }
            }
        }
    }

    /** {@code 127.0.0.1:port} of every server, comma-separated. */
    public String servers() {
        StringJoiner j = new StringJoiner(",");
        clientPorts.forEach(p -> j.add("127.0.0.1:" + p));
        return j.toString();
    }

    public List<Long> pids() {
        return processes.pids();
    }

    @Override
    public void close() {
        processes.close();
    }
}
