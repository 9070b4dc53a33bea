package chorus.console.io;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.model.Mutation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON file of keys into one atomic batch of puts. Accepted forms: an object of key to
 * string value ({@code {"a":"1","b":"2"}}), an array of {@code {"key":..,"value":..}} objects
 * (an optional {@code "expectedVersion"} makes a put conditional), or a contents export (its
 * {@code keys} array, taking the first replica's value of each key).
 */
public final class BatchImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchImporter() {
    }

    public static List<Mutation> parse(String json) throws InvalidRequestException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the file is not valid JSON: " + e.getOriginalMessage());
        }
        List<Mutation> out = new ArrayList<>();
        if (root != null && root.isObject() && root.has("keys") && root.get("keys").isArray()) {
            for (JsonNode k : root.get("keys")) {
                JsonNode cells = k.path("replicas");
                String value = null;
                for (Iterator<JsonNode> it = cells.elements(); it.hasNext() && value == null;) {
                    JsonNode c = it.next();
                    if (c.isObject() && c.hasNonNull("value")) {
                        value = c.get("value").asText();
                    }
                }
                if (value != null) {
                    out.add(Mutation.put(text(k, "key", out.size()), value));
                }
            }
        } else if (root != null && root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new InvalidRequestException("key '" + Limits.abbreviate(e.getKey())
                            + "' has no text value; use {\"key\": \"value\", ...}");
                }
                out.add(Mutation.put(e.getKey(), e.getValue().asText()));
            }
        } else if (root != null && root.isArray()) {
            int i = 0;
            for (JsonNode n : root) {
                String key = text(n, "key", i);
                String value = text(n, "value", i);
                long expected = n.has("expectedVersion") ? n.get("expectedVersion").asLong() : Mutation.ANY_VERSION;
                out.add(new Mutation.Put(key, value, expected));
                i++;
            }
        } else {
            throw new InvalidRequestException("expected a JSON object of key to value, or an array of {\"key\",\"value\"} objects");
        }
        Limits.checkBatch(out);
        return out;
    }

    private static String text(JsonNode n, String field, int index) throws InvalidRequestException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            throw new InvalidRequestException("entry " + (index + 1) + " has no \"" + field + "\"");
        }
        return v.asText();
    }
}
