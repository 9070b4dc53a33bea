package chorus.console.io;

import chorus.console.viewmodel.TxRow;
import chorus.console.viewmodel.TxState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/** Writes the transaction log as CSV (one line per transaction) or JSON (with every raw event). */
public final class LogExporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LogExporter() {
    }

    public static void writeCsv(List<TxRow> rows, List<Integer> replicas, Writer out) throws IOException {
        StringBuilder header = new StringBuilder("txId,keys,operation,coordinator");
        replicas.forEach(r -> header.append(",replica").append(r));
        header.append(",start,durationMillis,outcome,reason\n");
        out.write(header.toString());
        for (TxRow row : rows) {
            StringBuilder line = new StringBuilder();
            line.append(csv(row.txId().toString())).append(',').append(csv(row.keysProperty().get())).append(',')
                    .append(csv(row.operationProperty().get())).append(',').append(row.coordinatorProperty().get());
            for (Integer r : replicas) {
                line.append(',').append(csv(label(row.stateProperty(r).get())));
            }
            long start = row.startMillisProperty().get();
            line.append(',').append(start == Long.MAX_VALUE ? "" : Instant.ofEpochMilli(start).toString())
                    .append(',').append(row.durationMillisProperty().get() < 0 ? "" : row.durationMillisProperty().get())
                    .append(',').append(csv(label(row.outcomeProperty().get())))
                    .append(',').append(csv(row.reasonProperty().get())).append('\n');
            out.write(line.toString());
        }
    }

    public static void writeJson(List<TxRow> rows, List<Integer> replicas, Writer out) throws IOException {
        ArrayNode root = JSON.createArrayNode();
        for (TxRow row : rows) {
            ObjectNode t = root.addObject();
            t.put("txId", row.txId().toString());
            t.put("keys", row.keysProperty().get());
            t.put("operation", row.operationProperty().get());
            t.put("coordinator", row.coordinatorProperty().get());
            ObjectNode states = t.putObject("states");
            for (Integer r : replicas) {
                states.put(String.valueOf(r), label(row.stateProperty(r).get()));
            }
            t.put("startMillis", row.startMillisProperty().get() == Long.MAX_VALUE ? null : row.startMillisProperty().get());
            t.put("durationMillis", row.durationMillisProperty().get());
            t.put("outcome", label(row.outcomeProperty().get()));
            t.put("reason", row.reasonProperty().get());
            ArrayNode events = t.putArray("events");
            row.events().forEach(e -> {
                ObjectNode ev = events.addObject();
                ev.put("replica", e.replica());
                ev.put("seq", e.seq());
                ev.put("timeMillis", e.timeMillis());
                ev.put("role", e.role().name());
                ev.put("type", e.type().name());
                ev.put("peer", e.peer());
                ev.put("reason", e.reason());
                ev.put("elapsedMicros", e.elapsedMicros());
            });
        }
        JSON.writeValue(out, root);
    }

    private static String label(TxState s) {
        return s == null ? "" : s.label();
    }

    static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
