package chorus.console.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.InvalidRequestException;
import chorus.api.model.EventType;
import chorus.api.model.KeyEntry;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.console.testing.Events;
import chorus.console.viewmodel.ContentsMerger;
import chorus.console.viewmodel.ContentsRow;
import chorus.console.viewmodel.TxRow;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportImportTest {

    @Test
    void contentsExportReadsBackAsAnImportBatch() throws Exception {
        List<ContentsRow> rows = ContentsMerger.merge(Map.of(1, List.of(new KeyEntry("a", "x,\"y\"", 2, null)),
                2, List.of(new KeyEntry("a", "x,\"y\"", 2, null))), List.of(1, 2));
        StringWriter w = new StringWriter();
        ContentsExporter.write(rows, List.of(1, 2), w);
        assertThat(w.toString()).contains("\"key\" : \"a\"", "\"version\" : 2");
        assertThat(BatchImporter.parse(w.toString())).containsExactly(Mutation.put("a", "x,\"y\""));
    }

    @Test
    void importAcceptsAnObjectOrAnArrayAndChecksLimits() throws Exception {
        assertThat(BatchImporter.parse("{\"a\":\"1\",\"b\":\"2\"}")).containsExactly(Mutation.put("a", "1"), Mutation.put("b", "2"));
        assertThat(BatchImporter.parse("[{\"key\":\"a\",\"value\":\"1\",\"expectedVersion\":0}]"))
                .containsExactly(new Mutation.Put("a", "1", 0));
        assertThatThrownBy(() -> BatchImporter.parse("{\"\":\"1\"}")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("key is empty");
        assertThatThrownBy(() -> BatchImporter.parse("{oops")).hasMessageStartingWith("the file is not valid JSON");
        assertThatThrownBy(() -> BatchImporter.parse("{}")).hasMessageStartingWith("batch is empty");
    }

    @Test
    void logExportsAsCsvWithOneColumnPerReplica() throws Exception {
        TxId tx = new TxId(1, 1, 1);
        TxRow row = new TxRow(tx, List.of(1, 2));
        row.apply(Events.coordinator(tx, 1000, EventType.STARTED, 0, "", -1));
        row.apply(Events.coordinator(tx, 1005, EventType.ABORTED, 0, "replica 2 did not vote, really", -1));
        row.apply(Events.coordinator(tx, 1004, EventType.TIMED_OUT, 2, "replica 2 did not vote, really", -1));
        StringWriter w = new StringWriter();
        LogExporter.writeCsv(List.of(row), List.of(1, 2), w);
        String[] lines = w.toString().split("\n");
        assertThat(lines[0]).isEqualTo("txId,keys,operation,coordinator,replica1,replica2,start,durationMillis,outcome,reason");
        assertThat(lines[1]).startsWith("t1.1.1,k,put k,1,ABORTED,TIMED OUT,1970-01-01T00:00:01Z,5,ABORTED,\"replica 2 did not vote, really\"");
        StringWriter j = new StringWriter();
        LogExporter.writeJson(List.of(row), List.of(1, 2), j);
        assertThat(j.toString()).contains("\"type\" : \"TIMED_OUT\"", "\"2\" : \"TIMED OUT\"");
    }
}
