package chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.Limits;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/**
 * Argument parsing and exit codes of {@code kv} that need no replica: either the input is
 * rejected before anything is sent, or the cluster file points at ports where nothing listens.
 */
class KvMainTest {

    @TempDir
    static Path dir;

    private static String config;

    @BeforeAll
    static void clusterFileWithNobodyListening() throws IOException {
        int a;
        int b;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            a = s1.getLocalPort();
            b = s2.getLocalPort();
        }
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "replica.1 = 127.0.0.1:" + a + "\nreplica.2 = 127.0.0.1:" + b + "\n");
        config = file.toString();
    }

    private static KvRun kv(String... args) {
        return KvRun.of(args);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        KvRun r = kv("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("get", "put", "delete", "cas", "batch", "status", "dump", "events", "fail")
                .contains("Exit codes:", "3  invalid input", "5  the replica is unreachable");
    }

    @Test
    void everyCommandHasHelpDescribingItsOutput() {
        for (String command : new String[] {"get", "put", "delete", "cas", "batch", "status", "dump", "events", "fail", "await-up"}) {
            KvRun r = kv(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: kv " + command, "Prints");
        }
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(kv().exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void unknownCommandOrMissingArgumentIsAUsageErrorInOneLine() {
        KvRun unknown = kv("--config", config, "frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err().lines()).hasSize(1).first().asString().startsWith("error: ");

        KvRun missing = kv("--config", config, "put", "k");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err())
                .isEqualTo("error: Missing required parameter: 'VALUE' or --value-file FILE (see: kv put --help)" + System.lineSeparator());
    }

    @Test
    void emptyKeyIsInvalidInputBeforeTheClusterFileIsEvenRead() {
        KvRun r = kv("--config", dir.resolve("absent.properties").toString(), "get", "");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: key is empty");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void tooLongKeyIsInvalidInput() {
        KvRun r = kv("--config", config, "put", "k".repeat(1025), "v");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("key is 1025 bytes of UTF-8; the limit is 1024 bytes");
    }

    @Test
    void badExpectedVersionIsInvalidInput() {
        assertThat(kv("--config", config, "cas", "k", "three", "v").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(kv("--config", config, "cas", "k", "--", "-2", "v").exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void oddBatchIsInvalidInput() {
        KvRun r = kv("--config", config, "batch", "put", "a", "1", "delete");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: batch: 'delete' at word 4 needs KEY but nothing follows");
    }

    @Test
    void missingClusterFileIsAUsageErrorNamingTheFile() {
        Path absent = dir.resolve("nope.properties");
        KvRun r = kv("--config", absent.toString(), "get", "k");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("error: cluster file " + absent + " does not exist" + System.lineSeparator());
    }

    @Test
    void unknownReplicaIdIsAUsageError() {
        KvRun r = kv("--config", config, "--replica", "7", "get", "k");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown replica id 7; the cluster has 1, 2");
    }

    @Test
    void replicaAndConnectExcludeEachOther() {
        assertThat(kv("--config", config, "--replica", "1", "--connect", "127.0.0.1:1", "get", "k").exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void unreachableReplicaIsExit5NamingTheReplica() {
        KvRun r = kv("--config", config, "get", "k", "--replica", "2");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).matches("error: replica 2 \\(127\\.0\\.0\\.1:\\d+\\): unreachable: connection refused \\(is the replica running\\?\\)\\R");
    }

    @Test
    void statusShowsDownReplicasAsRowsAndSucceeds() {
        KvRun r = kv("--config", config, "status");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(3);
        assertThat(r.out().lines().skip(1)).allSatisfy(line -> assertThat(line.split(" +")[2]).isEqualTo("down"));
    }

    @Test
    void failNeedsOnOrOff() {
        KvRun r = kv("--config", config, "fail", "2", "sometimes");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("expected on or off, got 'sometimes'");
    }

    @Test
    void anAtWordIsNotReadAsAFileOfOptions() throws IOException {
        Path options = Files.writeString(dir.resolve("options"), "--version\n");
        KvRun r = kv("@" + options);
        assertThat(r.out()).doesNotContain("kv (Chorus)");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("error: ");
    }

    @Test
    void anAtWordIsALiteralValueBeforeAndAfterDoubleDash() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "the file's contents\n");
        for (String[] args : new String[][] {{"put", "k", "@" + secret}, {"put", "k", "--", "@" + secret}}) {
            ParseResult parsed = KvMain.commandLine(KvRun.sink(), KvRun.sink()).parseArgs(args);
            assertThat(parsed.subcommand().matchedPositionalValue(1, "none")).as(Arrays.toString(args)).isEqualTo("@" + secret);
        }
    }

    @Test
    void aValueFileOverTheLimitIsInvalidInputNamingTheLimitAndSendsNothing() throws IOException {
        Path big = Files.write(dir.resolve("big"), "x".repeat(Limits.MAX_VALUE_BYTES + 1).getBytes(StandardCharsets.UTF_8));
        // The replicas of the cluster file are down: anything sent would be exit 5.
        for (String[] args : new String[][] {{"put", "k", "--value-file", big.toString()},
                {"cas", "k", "0", "--value-file", big.toString()}}) {
            KvRun r = kv(concat(args));
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err().lines()).hasSize(1).first().asString()
                    .startsWith("error: ").contains(big.toString(), String.valueOf(Limits.MAX_VALUE_BYTES));
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aValueFileThatIsNotUtf8IsRefusedNotAltered() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        KvRun r = kv("--config", config, "put", "k", "--value-file", latin1.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: value file " + latin1 + " is not valid UTF-8: malformed byte 0xE9 at byte offset 3"
                + System.lineSeparator());
    }

    @Test
    void aValueFromStdinThatIsNotUtf8IsRefused() {
        KvRun r = KvRun.withStdin(new byte[] {'o', 'k', (byte) 0xFF, '\n'}, "--config", config, "put", "k", "--value-file", "-");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: value from stdin is not valid UTF-8: malformed byte 0xFF at byte offset 2");
    }

    @Test
    void aValueAndAValueFileExcludeEachOther() throws IOException {
        Path file = Files.writeString(dir.resolve("small"), "v");
        KvRun both = kv("--config", config, "put", "k", "v", "--value-file", file.toString());
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        KvRun neither = kv("--config", config, "cas", "k", "0");
        assertThat(neither.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.err().lines()).hasSize(1);
    }

    @Test
    void anArgumentTheJvmCouldNotDecodeIsRefusedNotStoredAsReplacementCharacters() {
        // What Java makes of the bytes "v\xff" on the command line under a UTF-8 locale.
        KvRun r = kv("--config", config, "put", "k", "v\uFFFD");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("error: argument 5 ").contains("not valid");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void connectLimitsStatusDumpAndInDoubtToThatReplicaAndFailsWhenItIsDown() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        for (String command : new String[] {"status", "dump", "in-doubt"}) {
            KvRun r = kv("--config", config, "--connect", "127.0.0.1:" + dead, command);
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.out()).as(command).isEmpty();
            assertThat(r.err()).as(command).isEqualTo("error: 127.0.0.1:" + dead
                    + ": unreachable: connection refused (is the replica running?)" + System.lineSeparator());
        }
    }

    private static String[] concat(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
