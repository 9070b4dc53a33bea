package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.server.LoopbackPorts;
import chorus.server.ReplicaMain;
import chorus.server.testing.ProcFs;
import chorus.server.testing.RepoRoot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code launch/cluster} script end to end, with a temporary run directory and a
 * temporary cluster file on free ports. Maven's package phase has built the jars; the script is
 * told never to build ({@code CHORUS_NO_BUILD=1}).
 */
class LaunchScriptsIT {

    private static final int REPLICAS = 3;

    @TempDir
    Path dir;

    private Path runDir;
    private Path config;
    /** Every pid the scripts reported, so that a failed test still leaves no process behind. */
    private final Set<Long> seenPids = new HashSet<>();

    record Run(int exit, String out, String err) {
    }

    private void writeClusterFile(List<Integer> ports) throws IOException {
        StringBuilder sb = new StringBuilder("# test cluster\n");
        for (int i = 0; i < ports.size(); i++) {
            sb.append("replica.").append(i + 1).append(" = 127.0.0.1:").append(ports.get(i)).append('\n');
        }
        // LocalCluster's short timeouts: failures show within seconds on a busy machine.
        sb.append("timeout.read.ms = 8000\ntimeout.vote.ms = 1500\ntimeout.ack.ms = 800\ntimeout.lock-wait.ms = 700\n");
        // As conf/cluster.properties names them: in the run directory, created by launch/cluster start.
        sb.append("peer.secret-file = run/peer-secret\nadmin.token-file = run/operator-token\n");
        config = dir.resolve("cluster.properties");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        runDir = dir.resolve("run");
    }

    private Run cluster(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RepoRoot.find().resolve("launch").resolve("cluster").toString(), "--config", config.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("CHORUS_RUN_DIR", runDir.toString());
        env.put("CHORUS_NO_BUILD", "1");
        env.put("CHORUS_START_WAIT_MS", "60000");
        env.remove("CHORUS_CONFIG");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launch/cluster " + String.join(" ", args) + " did not finish within 120 s");
        }
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        recordPids();
        return run;
    }

    private long pidOf(int id) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve("replica-" + id + ".pid")).strip());
    }

    private void recordPids() throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                seenPids.add(Long.parseLong(Files.readString(f).strip()));
            }
        }
    }

    /**
     * True while the process runs. A killed replica is an orphan that init reaps when it gets to
     * it; until then it is a zombie, which {@link ProcessHandle#isAlive} still counts as alive.
     */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> rowOf(String table, int id) {
        return table.lines().map(l -> List.of(l.split(" +"))).filter(c -> c.get(0).equals(String.valueOf(id))).findFirst().orElseThrow();
    }

    @AfterEach
    void noReplicaSurvives() throws Exception {
        if (config != null) {
            cluster("stop");
        }
        for (long pid : seenPids) {
            // A failed assertion above must not leave replicas behind: kill by the pids we saw.
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startStatusKillStartAndStopManageExactlyTheRecordedProcesses() throws Exception {
        writeClusterFile(LoopbackPorts.free(REPLICAS));

        Run start = cluster("start");
        assertThat(start.exit()).as(start.err()).isZero();
        // The cluster secret and the operator token: created, random, for the owner's eyes only.
        for (String secret : List.of("peer-secret", "operator-token")) {
            Path file = runDir.resolve(secret);
            assertThat(start.err()).contains("created " + file + " (mode 0600)");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(file).strip()).matches("[0-9a-f]{64}");
        }
        assertThat(Files.readString(runDir.resolve("peer-secret"))).isNotEqualTo(Files.readString(runDir.resolve("operator-token")));
        for (int id = 1; id <= REPLICAS; id++) {
            assertThat(start.out()).contains("replica " + id + " starting (pid ").containsPattern("replica " + id + " up after \\d+ ms");
            assertThat(runDir.resolve("replica-" + id + ".log")).exists();
            assertThat(runDir.resolve("data").resolve("replica-" + id)).isDirectory();
            assertThat(alive(pidOf(id))).isTrue();
            // launch/cluster spells ReplicaMain.JVM_OPTIONS in its default (-Xshare:auto is the JVM's own default).
            assertThat(ProcFs.commandLine(pidOf(id))).containsAll(ReplicaMain.JVM_OPTIONS.stream().filter(o -> !o.equals("-Xshare:auto")).toList());
        }

        Run status = cluster("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out().lines().findFirst().orElseThrow().split(" +"))
                .containsExactly("ID", "ADDRESS", "PID", "PROCESS", "STATE", "KEYS", "IN_FLIGHT", "IN_DOUBT");
        for (int id = 1; id <= REPLICAS; id++) {
            assertThat(rowOf(status.out(), id)).containsSubsequence(String.valueOf(pidOf(id)), "running", "up", "0", "0", "0");
        }

        long pid2 = pidOf(2);
        Run kill = cluster("kill", "2");
        assertThat(kill.exit()).as(kill.err()).isZero();
        assertThat(kill.out()).isEqualTo("replica 2 killed (kill -9 pid " + pid2 + ")\n");
        assertThat(alive(pid2)).isFalse();
        assertThat(runDir.resolve("replica-2.pid")).doesNotExist();
        assertThat(rowOf(cluster("status").out(), 2)).containsExactly("2", rowOf(status.out(), 2).get(1),
                "-", "stopped", "down", "-", "-", "-");

        Run again = cluster("start", "2");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("replica 2 up after \\d+ ms");
        assertThat(pidOf(2)).isNotEqualTo(pid2);

        Run all = cluster("start");
        assertThat(all.exit()).isZero();
        for (int id = 1; id <= REPLICAS; id++) {
            assertThat(all.out()).contains("replica " + id + " already running (pid " + pidOf(id) + ")");
        }

        List<Long> pids = new ArrayList<>();
        for (int id = 1; id <= REPLICAS; id++) {
            pids.add(pidOf(id));
        }
        Run stop = cluster("stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        for (int id = 1; id <= REPLICAS; id++) {
            assertThat(stop.out()).contains("replica " + id + " stopped (pid " + pids.get(id - 1) + ")");
            assertThat(runDir.resolve("replica-" + id + ".pid")).doesNotExist();
        }
        assertThat(pids).noneMatch(LaunchScriptsIT::alive);
        assertThat(seenPids).noneMatch(LaunchScriptsIT::alive);
    }

    @Test
    void aReplicaThatCannotStartFailsTheStartNamingItAndItsLog() throws Exception {
        List<Integer> ports = LoopbackPorts.free(REPLICAS);
        writeClusterFile(ports);
        try (ServerSocket taken = new ServerSocket(ports.get(0), 1, InetAddress.getLoopbackAddress())) {
            Run start = cluster("start", "1");
            assertThat(start.exit()).isEqualTo(1);
            assertThat(start.err()).contains("error: replica 1 did not come up; its log is " + runDir.resolve("replica-1.log"))
                    .contains("port already in use");
        }
        Files.writeString(runDir.resolve("replica-3.pid"), "999999999\n");
        // A cluster file that names no secret: start refuses, naming the setting, and starts nothing.
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^peer\\.secret-file.*$", ""));
        Run noSecret = cluster("start", "2");
        assertThat(noSecret.exit()).isEqualTo(1);
        assertThat(noSecret.err()).contains("names no peer.secret-file");
        assertThat(runDir.resolve("replica-2.pid")).doesNotExist();
        Run status = cluster("status");
        assertThat(status.exit()).isZero();
        assertThat(rowOf(status.out(), 3)).containsSubsequence("-", "stopped", "down");
        assertThat(runDir.resolve("replica-3.pid")).doesNotExist();
    }

    @Test
    void theConsoleOnAMachineWithoutGtkSaysWhatToInstallInsteadOfAStackTrace() throws Exception {
        Path err = dir.resolve("console-err.txt");
        ProcessBuilder pb = new ProcessBuilder(RepoRoot.find().resolve("launch").resolve("console").toString(), "--connect", "127.0.0.1:1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // A display, and a GTK library that no machine has: the check the script makes on Linux.
        pb.environment().put("DISPLAY", ":77");
        pb.environment().put("CHORUS_GTK_LIBRARY", "libchorus-no-such-gtk.so.0");
        pb.environment().put("CHORUS_NO_BUILD", "1");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        assertThat(text).contains("error: the console's window needs GTK 3 (libchorus-no-such-gtk.so.0)", "apt-get install libgtk-3-0",
                "--screenshot FILE.png").doesNotContain("Exception");
    }
}
