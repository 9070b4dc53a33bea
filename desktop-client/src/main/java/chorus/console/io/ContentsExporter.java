package chorus.console.io;

import chorus.api.model.KeyEntry;
import chorus.console.viewmodel.ContentsRow;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes the contents table as JSON: {@code {"replicas":[1,..], "keys":[{"key":..,"disagree":..,
 * "replicas":{"1":{"value":..,"version":..,"pendingTx":..}}}]}}.
 */
public final class ContentsExporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ContentsExporter() {
    }

    public static void write(List<ContentsRow> rows, List<Integer> replicas, Writer out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode ids = root.putArray("replicas");
        replicas.forEach(ids::add);
        ArrayNode keys = root.putArray("keys");
        for (ContentsRow row : rows) {
            ObjectNode k = keys.addObject();
            k.put("key", row.key());
            k.put("disagree", row.disagree());
            ObjectNode cells = k.putObject("replicas");
            for (Integer r : replicas) {
                KeyEntry e = row.cells().get(r);
                if (e == null) {
                    cells.putNull(String.valueOf(r));
                    continue;
                }
                ObjectNode c = cells.putObject(String.valueOf(r));
                c.put("value", e.value());
                c.put("version", e.version());
                if (e.pendingTx() != null) {
                    c.put("pendingTx", e.pendingTx().toString());
                }
            }
        }
        JSON.writeValue(out, root);
    }
}
