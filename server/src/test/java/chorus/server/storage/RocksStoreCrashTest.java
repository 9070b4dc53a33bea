package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.server.protocol.StoredValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store killed with SIGKILL in the middle of a stream of writes, after RocksDB has begun to
 * reuse its old write-ahead logs in place: every write that a synced write covered before the kill
 * must be there after a reopen. Recycled logs hold an earlier log's records after the new ones,
 * and recovery has to stop at the new records' end without losing any of them.
 */
class RocksStoreCrashTest {

    @TempDir
    Path dir;

    @Test
    void everyWriteCoveredByASyncSurvivesAKillWhileLogsAreReused() throws Exception {
        Path db = dir.resolve("db");
        // Three times the log bound: old logs are freed, put on the recycle list and reused.
        int killAfter = (int) (3 * RocksEngine.MAX_TOTAL_WAL_BYTES / CrashWriter.VALUE_BYTES);
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), db.toString(),
                String.valueOf(killAfter * 4))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("writer.err").toFile()))
                .start();
        int lastSynced = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; lastSynced < killAfter && (line = out.readLine()) != null; ) {
                if (line.startsWith("synced ")) {
                    lastSynced = Integer.parseInt(line.substring("synced ".length()));
                }
            }
            assertThat(lastSynced).as("the writer got that far (its errors: %s)", errors()).isGreaterThanOrEqualTo(killAfter);
            // SIGKILL to the writer's own pid while it keeps writing (through its handle: Process's
            // own destroy would also close the pipe that still holds its last lines).
            writer.toHandle().destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // What it printed before it died was synced before it died.
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("synced ")) {
                    lastSynced = Integer.parseInt(line.substring("synced ".length()));
                }
            }
        } finally {
            writer.destroyForcibly();
        }
        assertThat(writer.exitValue()).as("killed, not finished").isNotZero();
        List<String> log = Files.readAllLines(db.resolve("LOG"));
        assertThat(log).as("RocksDB put old logs up for reuse before the kill")
                .anyMatch(l -> l.contains("to recycle list"));

        try (RocksStore store = RocksStore.open(db, System::currentTimeMillis)) {
            for (int i = 1; i <= lastSynced; i++) {
                StoredValue v = store.read("k" + i);
                assertThat(v.value()).as("k%d of %d synced writes", i, lastSynced).isEqualTo(CrashWriter.value(i));
            }
        }
    }

    private String errors() throws IOException {
        Path err = dir.resolve("writer.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }
}
