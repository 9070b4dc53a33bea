package chorus.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.Limits;
import chorus.api.model.EventType;
import chorus.cli.ExitCodes;
import chorus.cli.KvRun;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kv} run in-process against five real replica JVMs (one cluster for the class). */
class KvCommandsIT {

    @Replicas(5)
    static LocalCluster cluster;

    private static KvRun kv(String... args) {
        return KvRun.against(cluster.configFile(), args);
    }

    @Test
    void putIsReadBackFromEveryReplicaAndDeleteLeavesANotFoundWithItsVersion() {
        KvRun put = kv("put", "round-trip", "hello world");
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).matches("COMMITTED tx=t1\\.\\d+\\.\\d+ version=1 latency_ms=\\d+\\.\\d "
                + "rtt_ms=\\d+\\.\\d attempts=1 coordinator=1\\R");
        for (int r = 1; r <= 5; r++) {
            assertThat(kv("--replica", String.valueOf(r), "get", "round-trip").out()).isEqualTo("round-trip\thello world\t1\n");
        }
        KvRun delete = kv("delete", "round-trip", "--replica", "4");
        assertThat(delete.out()).startsWith("COMMITTED tx=t4.").contains(" version=2 ", "coordinator=4");
        KvRun get = kv("get", "round-trip", "--replica", "2");
        assertThat(get.exit()).isZero();
        assertThat(get.out()).isEqualTo("NOT_FOUND version=2 key=round-trip\n");
    }

    @Test
    void casWritesAtTheExpectedVersionAndAbortsWithExit4Otherwise() {
        assertThat(kv("cas", "cas-key", "0", "first").out()).contains(" version=1 ");
        KvRun stale = kv("cas", "cas-key", "0", "second");
        assertThat(stale.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(stale.out()).isEmpty();
        assertThat(stale.err()).startsWith("error: replica 1 (127.0.0.1:").contains(": aborted t1.", "expected 0");
        assertThat(stale.err().lines()).hasSize(1);
        assertThat(kv("cas", "cas-key", "1", "second").out()).contains(" version=2 ");
        assertThat(kv("get", "cas-key").out()).isEqualTo("cas-key\tsecond\t2\n");
    }

    @Test
    void batchAppliesEveryMutationOrNone() {
        KvRun ok = kv("batch", "put", "batch-a", "1", "put", "batch-b", "2", "delete", "batch-c");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.lines()).hasSize(4);
        assertThat(ok.lines().get(0)).startsWith("COMMITTED tx=").contains(" keys=3 ");
        assertThat(ok.lines().subList(1, 4)).containsExactly("VERSION\tbatch-a\t1", "VERSION\tbatch-b\t1", "VERSION\tbatch-c\t1");

        KvRun mismatch = kv("batch", "put", "batch-d", "4", "cas", "batch-a", "7", "x");
        assertThat(mismatch.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(kv("get", "batch-d", "--replica", "3").out()).startsWith("NOT_FOUND ");
        assertThat(kv("get", "batch-a", "--replica", "5").out()).isEqualTo("batch-a\t1\t1\n");
    }

    @Test
    void statusListsAllFiveReplicasUp() {
        KvRun status = kv("status");
        assertThat(status.exit()).isZero();
        assertThat(status.lines()).hasSize(6);
        assertThat(status.lines().get(0)).startsWith("ID  ADDRESS");
        for (int r = 1; r <= 5; r++) {
            String[] cells = status.lines().get(r).split(" +");
            assertThat(cells[0]).isEqualTo(String.valueOf(r));
            assertThat(cells[1]).isEqualTo(cluster.address(r).hostPort());
            assertThat(cells[2]).isEqualTo("up");
        }
    }

    @Test
    void dumpShowsEachReplicasValueSideBySide() {
        kv("put", "dumped", "v1");
        // The put is answered at its commit point; a replica may show it prepared until the decision
        // reaches it (a dump lists what each replica has applied, and marks what it holds prepared).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            KvRun dump = kv("dump");
            assertThat(dump.exit()).isZero();
            assertThat(dump.lines().get(0)).isEqualTo("KEY\tr1\tr2\tr3\tr4\tr5\tAGREE");
            assertThat(dump.lines()).contains("dumped\t1:v1\t1:v1\t1:v1\t1:v1\t1:v1\tsame");
            assertThat(dump.lines().get(dump.lines().size() - 1)).startsWith("# keys=").endsWith(" unreadable=0");
        });

        KvRun perReplica = kv("dump", "--per-replica", "--page-size", "1");
        assertThat(perReplica.lines()).contains("3\tdumped\t1\tv1\t-");
    }

    @Test
    void eventsShowTheStepsOfAWrite() {
        KvRun put = kv("put", "evented", "x", "--replica", "2");
        String tx = put.out().split(" ")[1].substring("tx=".length());
        KvRun events = kv("events", "--replica", "2");
        assertThat(events.exit()).isZero();
        assertThat(events.lines().get(0)).startsWith("# SEQ\tTIME");
        List<String[]> mine = events.lines().stream().skip(1).map(l -> l.split("\t")).filter(f -> f[5].equals(tx)).toList();
        assertThat(mine).allSatisfy(f -> assertThat(f).hasSize(10));
        assertThat(mine).extracting(f -> f[3] + " " + f[4]).contains("COORDINATOR STARTED", "COORDINATOR COMMITTED");
    }

    @Test
    void aSimulatedFailureAbortsAWriteNamingTheSilentReplica() {
        assertThat(kv("fail", "3", "on").out()).isEqualTo("SIMULATED_FAILURE replica=3 state=on\n");
        try {
            KvRun put = kv("put", "while-3-failed", "x");
            assertThat(put.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(put.err()).matches("error: replica 1 \\(127\\.0\\.0\\.1:\\d+\\): aborted t1\\.\\d+\\.\\d+: .*replica 3.*\\R");
            assertThat(kv("status").lines().get(3).split(" +")[2]).isEqualTo("FAILED(simulated)");
            KvRun read = kv("get", "x", "--replica", "3");
            assertThat(read.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        } finally {
            assertThat(kv("fail", "3", "off").exit()).isZero();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> kv("put", "after-3-back", "y").exit() == 0);
        assertThat(kv("get", "while-3-failed", "--replica", "3").out()).startsWith("NOT_FOUND ");
    }

    @Test
    void aPausedReplicaIsADownRowAfterTheAdminTimeoutNotAHang() {
        cluster.pause(5);
        try {
            long start = System.nanoTime();
            KvRun status = kv("status", "--timeout-ms", "1000");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(status.exit()).isZero();
            assertThat(status.lines().get(5)).startsWith("5 ").contains(" down ").endsWith("no answer within 1000 ms");
            assertThat(status.lines().subList(1, 5)).allSatisfy(l -> assertThat(l.split(" +")[2]).isEqualTo("up"));
            // The replica's read timeout is 8 s: the table must not wait for it.
            assertThat(tookMs).isLessThan(5000);

            KvRun dump = kv("dump", "--timeout-ms", "1000");
            assertThat(dump.exit()).isZero();
            assertThat(dump.err()).contains("warning: replica 5 (").contains("no answer within 1000 ms");
            assertThat(dump.lines().get(dump.lines().size() - 1)).endsWith(" unreadable=1");
        } finally {
            cluster.resume(5);
        }
    }

    @Test
    void badInputIsRejectedWithExit3AndChangesNothing() throws Exception {
        long eventsBefore = cluster.status(1).lastEventSeq();
        long keysBefore = cluster.status(1).keyCount();
        assertThat(kv("put", "", "x").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("put", "k".repeat(1025), "x").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("put", "bad\u0001key", "x").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("cas", "bad-version", "three", "x").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("batch", "put", "odd-a", "1", "put", "odd-b").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("batch", "put", "twice", "1", "delete", "twice").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("put", "k", "v", "--replica", "9").exit()).isEqualTo(ExitCodes.USAGE);
        // Nothing was sent: replica 1 (the default coordinator) started no transaction since.
        assertThat(cluster.connection(1).admin().events(eventsBefore, 1000).events())
                .noneMatch(e -> e.type() == EventType.STARTED);
        assertThat(cluster.status(1).keyCount()).isEqualTo(keysBefore);
        assertThat(kv("get", "odd-a").out()).startsWith("NOT_FOUND ");
    }

    @Test
    void anAddressWhereNoReplicaListensIsExit5() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KvRun r = kv("--connect", "127.0.0.1:" + port, "get", "k");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).isEqualTo("error: 127.0.0.1:" + port + ": unreachable: connection refused (is the replica running?)\n");
    }

    @Test
    void anAtWordIsStoredLiterallyNotReplacedByAFilesContents(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "not for the cluster");
        assertThat(kv("put", "at-word", "@" + secret).exit()).isZero();
        assertThat(kv("get", "at-word").out()).isEqualTo("at-word\t@" + secret + "\t1\n");
        assertThat(kv("put", "at-word", "--", "@" + secret).exit()).isZero();
        assertThat(kv("get", "at-word").out()).isEqualTo("at-word\t@" + secret + "\t2\n");
        assertThat(kv("put", "at-word", "@x").exit()).isZero();
        assertThat(kv("get", "at-word").out()).isEqualTo("at-word\t@x\t3\n");
    }

    @Test
    void aValueFileUpToTheLimitIsWrittenWholeByPutAndCas(@TempDir Path dir) throws Exception {
        // 1 MiB exactly, multi-byte, ending in a line break that is kept: far more than an argument list holds.
        String big = "\u20ac".repeat((Limits.MAX_VALUE_BYTES - 1) / 3) + "\n";
        assertThat(big.getBytes(StandardCharsets.UTF_8)).hasSize(Limits.MAX_VALUE_BYTES);
        Path file = Files.writeString(dir.resolve("big"), big, StandardCharsets.UTF_8);
        KvRun put = kv("put", "value-file", "--value-file", file.toString());
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).contains(" version=1 ");
        assertThat(cluster.connection(3).kv().get("value-file").value()).isEqualTo(big);

        Path second = Files.writeString(dir.resolve("second"), "second\n");
        KvRun cas = kv("cas", "value-file", "1", "--value-file", second.toString());
        assertThat(cas.exit()).as(cas.err()).isZero();
        assertThat(cas.out()).contains(" version=2 ");
        assertThat(cluster.connection(4).kv().get("value-file").value()).isEqualTo("second\n");
    }

    @Test
    void aValueFileOverTheLimitWritesNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("too-big"), "y".repeat(Limits.MAX_VALUE_BYTES + 1));
        KvRun put = kv("put", "too-big", "--value-file", file.toString());
        assertThat(put.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(put.err()).contains("the limit is " + Limits.MAX_VALUE_BYTES + " bytes");
        assertThat(kv("get", "too-big").out()).startsWith("NOT_FOUND version=0 ");
    }

    @Test
    void connectLimitsStatusDumpAndInDoubtToThatReplica() {
        kv("put", "connected", "v");
        String two = cluster.address(2).hostPort();
        KvRun status = kv("--connect", two, "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.lines()).hasSize(2);
        assertThat(status.lines().get(1).split(" +")).startsWith("2", two, "up");

        // Without a cluster file the replica's id is the one it answers with.
        KvRun bare = KvRun.of("--connect", two, "status");
        assertThat(bare.exit()).as(bare.err()).isZero();
        assertThat(bare.lines()).hasSize(2);
        assertThat(bare.lines().get(1).split(" +")).startsWith("2", two, "up");

        KvRun dump = kv("--connect", two, "dump");
        assertThat(dump.exit()).as(dump.err()).isZero();
        assertThat(dump.lines().get(0)).isEqualTo("KEY\tr2\tAGREE");
        assertThat(dump.lines()).contains("connected\t1:v\tsame");
        assertThat(dump.lines().get(dump.lines().size() - 1)).endsWith(" unreadable=0");

        KvRun inDoubt = kv("--connect", two, "in-doubt");
        assertThat(inDoubt.exit()).as(inDoubt.err()).isZero();
        assertThat(inDoubt.lines()).containsExactly("# REPLICA\tTX\tCOORDINATOR\tAGE_MS\tKEYS\tLAST_ATTEMPT");
        assertThat(inDoubt.err()).isEmpty();
    }
}
