package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import chorus.server.testing.RepoRoot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launch/kv} as a user runs it: a fresh JVM per command, its arguments as bytes made by a
 * shell, standard input from a file. What only a real process shows: how the JVM decoded argv, the
 * RMI settings a fresh JVM starts with, stdin. The jars are those Maven's package phase built
 * ({@code CHORUS_NO_BUILD=1}).
 */
class KvAsAProcessIT {

    @Replicas(1)
    static LocalCluster cluster;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, Duration took) {
    }

    /**
     * Runs {@code launch/kv --config CONFIG ARGS} under a UTF-8 locale, where ARGS is shell text, so
     * that {@code "$(printf '\377')"} can hand kv bytes that are not UTF-8.
     */
    private Run kv(Path config, String shellArgs, byte[] stdin) throws Exception {
        Path in = Files.write(Files.createTempFile(dir, "in", ".bin"), stdin);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$KV\" --config \"$KV_CONFIG\" " + shellArgs)
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("KV", RepoRoot.find().resolve("launch").resolve("kv").toString());
        env.put("KV_CONFIG", config.toString());
        env.put("CHORUS_NO_BUILD", "1");
        env.put("LC_ALL", "C.UTF-8");
        env.remove("CHORUS_CONFIG");
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("kv " + shellArgs + " did not finish within 120 s");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), took);
    }

    private Run kv(String shellArgs) throws Exception {
        return kv(cluster.configFile(), shellArgs, new byte[0]);
    }

    private static String get(String key) {
        return KvRun.against(cluster.configFile(), "get", key).out();
    }

    @Test
    void argumentBytesThatAreNotUtf8AreRefusedAndNothingIsWritten() throws Exception {
        Run put = kv("put argv-bad \"$(printf 'v\\377')\"");
        assertThat(put.exit()).as(put.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(put.err().lines()).hasSize(1).first().asString().startsWith("error: argument 5 ").contains("not valid UTF-8");
        assertThat(put.out()).isEmpty();
        Run key = kv("put \"$(printf 'k\\300\\200')\" v");
        assertThat(key.exit()).as(key.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(get("argv-bad")).startsWith("NOT_FOUND version=0 ");
    }

    @Test
    void aReplacementCharacterTypedAsValidUtf8IsStoredAsTyped() throws Exception {
        Run put = kv("put argv-fffd \"$(printf 'v\\357\\277\\275')\"");
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(cluster.connection(1).kv().get("argv-fffd").value()).isEqualTo("v\uFFFD");
    }

    @Test
    void aValueFromStdinIsStoredByteForByteAndMalformedStdinIsRefused() throws Exception {
        String value = "line 1\n\tcaf\u00e9 \u20ac\nline 3\n";
        Run put = kv(cluster.configFile(), "put stdin-key --value-file -", value.getBytes(StandardCharsets.UTF_8));
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(cluster.connection(1).kv().get("stdin-key").value()).isEqualTo(value);

        Run bad = kv(cluster.configFile(), "put stdin-bad --value-file -", new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThat(bad.exit()).as(bad.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(bad.err()).isEqualTo("error: value from stdin is not valid UTF-8: malformed byte 0xE9 at byte offset 3\n");
        assertThat(get("stdin-bad")).startsWith("NOT_FOUND version=0 ");
    }

    @Test
    void aReplicaThatAcceptsButNeverAnswersFailsWithinTheReadTimeoutNotRmisMinute() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // and never a byte back
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-replica");
            acceptor.setDaemon(true);
            acceptor.start();
            Path config = Files.writeString(dir.resolve("silent.properties"), "replica.1 = 127.0.0.1:" + silent.getLocalPort() + "\n"
                    + "timeout.read.ms = 2000\ntimeout.vote.ms = 500\ntimeout.ack.ms = 500\ntimeout.lock-wait.ms = 400\n");

            Run get = kv(config, "get k", new byte[0]);
            assertThat(get.exit()).as(get.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(get.err()).isEqualTo("error: replica 1 (127.0.0.1:" + silent.getLocalPort()
                    + "): unreachable: no answer within the read timeout\n");
            // A 2 s read timeout, a JVM start and a loaded machine: far below RMI's 60 s handshake wait.
            assertThat(get.took()).isLessThan(Duration.ofSeconds(20));
            assertThat(held).isNotEmpty();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
