package chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.EventType;
import chorus.api.model.KeyEntry;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReadResult;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private static final TxId TX = new TxId(1, 1, 5);

    @Test
    void escapesBackslashTabAndLineBreaksOnly() {
        assertThat(Formats.escape("a\tb\nc\rd\\e é")).isEqualTo("a\\tb\\nc\\rd\\\\e é");
        assertThat(Formats.escape("plain")).isEqualTo("plain");
    }

    @Test
    void foundReadIsKeyValueVersionSeparatedByTabs() {
        assertThat(Formats.read(new ReadResult("k", true, "two\tparts", 3, 1))).isEqualTo("k\ttwo\\tparts\t3");
    }

    @Test
    void missingReadIsANotFoundLineWithoutTabs() {
        String line = Formats.read(new ReadResult("a key", false, null, 4, 1));
        assertThat(line).isEqualTo("NOT_FOUND version=4 key=a key").doesNotContain("\t");
    }

    @Test
    void writeLineCarriesTxVersionLatencyAttemptsAndCoordinator() {
        WriteResult w = new WriteResult(TX, Map.of("k", 3L), 4_100, 1, 1);
        assertThat(Formats.write(w, 5_000_000))
                .isEqualTo("COMMITTED tx=t1.1.5 version=3 latency_ms=4.1 rtt_ms=5.0 attempts=1 coordinator=1");
    }

    @Test
    void batchPrintsSummaryThenOneVersionLinePerKeyInKeyOrder() {
        WriteResult w = new WriteResult(TX, Map.of("b", 2L, "a", 7L), 1_000, 2, 3);
        assertThat(Formats.batch(w, 2_000_000)).containsExactly(
                "COMMITTED tx=t1.1.5 keys=2 latency_ms=1.0 rtt_ms=2.0 attempts=2 coordinator=3",
                "VERSION\ta\t7",
                "VERSION\tb\t2");
    }

    @Test
    void uptimeIsCompact() {
        assertThat(Formats.uptime(45_000)).isEqualTo("45s");
        assertThat(Formats.uptime(303_000)).isEqualTo("5m03s");
        assertThat(Formats.uptime(7_500_000)).isEqualTo("2h05m");
        assertThat(Formats.uptime(100_000_000)).isEqualTo("1d03h");
    }

    @Test
    void statusTableHasARowForEveryReplicaIncludingDownAndFailedOnes() {
        ReplicaAddress r1 = new ReplicaAddress(1, "127.0.0.1", 7101);
        ReplicaAddress r2 = new ReplicaAddress(2, "127.0.0.1", 7102);
        ReplicaAddress r3 = new ReplicaAddress(3, "127.0.0.1", 7103);
        List<String> table = Formats.statusTable(List.of(
                ReplicaProbe.up(r1, status(1, false)),
                ReplicaProbe.down(r2, "connection refused (is the replica running?)"),
                ReplicaProbe.up(r3, status(3, true))));
        assertThat(table).hasSize(4);
        assertThat(table.get(0).split(" +")).containsExactly(
                "ID", "ADDRESS", "STATE", "KEYS", "IN_FLIGHT", "IN_DOUBT", "COMMITS", "ABORTS", "TIMEOUTS", "UPTIME", "NOTE");
        assertThat(table.get(1).split(" +")).containsExactly("1", "127.0.0.1:7101", "up", "12", "1", "0", "40", "2", "1", "5m03s", "-");
        assertThat(table.get(2)).startsWith("2   127.0.0.1:7102  down")
                .endsWith("connection refused (is the replica running?)");
        assertThat(table.get(2).split(" +")).hasSize(10 + 6);
        assertThat(table.get(3).split(" +")[2]).isEqualTo("FAILED(simulated)");
        // Columns line up: every row has ADDRESS at the same offset as the header.
        assertThat(table).allSatisfy(line -> assertThat(line.indexOf("127.0.0.1") < 0 || line.indexOf("127.0.0.1") == 4).isTrue());
    }

    @Test
    void statusNotesAReplicaThatAnswersWithAnotherId() {
        ReplicaAddress r1 = new ReplicaAddress(1, "127.0.0.1", 7101);
        assertThat(Formats.statusRow(ReplicaProbe.up(r1, status(4, false)))).last().isEqualTo("answers as replica 4");
    }

    @Test
    void aReplicaWhoseDiskIsFullIsShownAsDiskFullWithTheCause() {
        ReplicaAddress r5 = new ReplicaAddress(5, "127.0.0.1", 7105);
        ReplicaStatus full = new ReplicaStatus(5, "127.0.0.1:7105", 0, 303_000, 12, 0, 0, 40, 2, 1, false, 900, 4000, 99, 1,
                "disk full: While appending to file: /data/000008.log: No space left on device");
        List<String> row = Formats.statusRow(ReplicaProbe.up(r5, full));
        assertThat(row.get(2)).isEqualTo("disk-full");
        assertThat(row).last().isEqualTo("votes NO until its disk takes writes again"
                + " (While appending to file: /data/000008.log: No space left on device)");
    }

    @Test
    void sideBySideRowShowsEachReplicaAndWhetherTheyAgree() {
        List<Integer> ids = List.of(1, 2, 3);
        Map<Integer, KeyEntry> same = Map.of(1, entry("v", 2, null), 2, entry("v", 2, null), 3, entry("v", 2, null));
        assertThat(Formats.sideBySideRow("k", ids, same)).isEqualTo("k\t2:v\t2:v\t2:v\tsame");

        Map<Integer, KeyEntry> differ = new HashMap<>();
        differ.put(1, entry("v", 2, null));
        differ.put(2, null);
        assertThat(Formats.sideBySideRow("k", ids, differ)).isEqualTo("k\t2:v\t-\t?\tDIFFER");

        Map<Integer, KeyEntry> pending = Map.of(1, entry("v", 2, TX), 2, entry("v", 2, null));
        assertThat(Formats.sideBySideRow("k", List.of(1, 2), pending)).isEqualTo("k\t[t1.1.5] 2:v\t2:v\tDIFFER");

        assertThat(Formats.cell(entry(null, 6, null))).isEqualTo("6 deleted");
        assertThat(Formats.sideBySideHeader(ids)).isEqualTo("KEY\tr1\tr2\tr3\tAGREE");
    }

    @Test
    void perReplicaRowIsTabSeparated() {
        assertThat(Formats.perReplicaRow(2, entry("a\nb", 3, null))).isEqualTo("2\tk\t3\ta\\nb\t-");
        assertThat(Formats.perReplicaRow(2, entry("x", 3, TX))).isEqualTo("2\tk\t3\tx\tt1.1.5");
    }

    @Test
    void eventLineHasTenTabSeparatedFieldsWithDashesForEmptyOnes() {
        ProtocolEvent prepared = new ProtocolEvent(17, 1_700_000_000_123L, 2, Role.COORDINATOR, EventType.TIMED_OUT, TX,
                1, 3, List.of("a", "b"), "", "replica 3 did not vote within 2000 ms", 2_000_500);
        assertThat(Formats.event(prepared)).isEqualTo(
                "17\t2023-11-14T22:13:20.123Z\t2\tCOORDINATOR\tTIMED_OUT\tt1.1.5\t3\ta,b\treplica 3 did not vote within 2000 ms\t2000.500");
        ProtocolEvent switched = new ProtocolEvent(1, 0, 4, Role.OPERATOR, EventType.FAILURE_ON, null, 0, 0, null, null, null, -1);
        assertThat(Formats.event(switched).split("\t")).containsExactly(
                "1", "1970-01-01T00:00:00.000Z", "4", "OPERATOR", "FAILURE_ON", "-", "-", "-", "-", "-");
        assertThat(Formats.EVENTS_HEADER.split("\t")).hasSize(10);
    }

    private static KeyEntry entry(String value, long version, TxId pending) {
        return new KeyEntry("k", value, version, pending);
    }

    private static ReplicaStatus status(int id, boolean failed) {
        return new ReplicaStatus(id, "127.0.0.1:710" + id, 0, 303_000, 12, 1, 0, 40, 2, 1, failed, 900, 4000, 99, 1);
    }
}
