package chorus.server.http;

import chorus.api.InvalidRequestException;
import chorus.api.model.Mutation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON body of {@code POST /v1/txn}, an atomic batch, read into mutations:
 * <pre>{"ops": [{"op": "put", "key": "a", "value": "1"},
 *          {"op": "put", "key": "b", "valueBase64": "aMOp", "ifVersion": 3},
 *          {"op": "delete", "key": "c"}]}</pre>
 * A value is text ({@code value}) or the base64 of its UTF-8 bytes ({@code valueBase64}); values
 * are text in Chorus, so the bytes must be UTF-8. {@code ifVersion} makes the operation conditional.
 * Anything else, unknown members included, is refused with the path of the fault.
 */
final class TxnBody {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> PUT_FIELDS = Set.of("op", "key", "value", "valueBase64", "ifVersion");
    private static final Set<String> DELETE_FIELDS = Set.of("op", "key", "ifVersion");

    private TxnBody() {
    }

    static List<Mutation> parse(byte[] body) throws InvalidRequestException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("body must be a JSON object {\"ops\": [...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("ops")) {
                throw new InvalidRequestException("unknown member '" + name + "'; the body holds only \"ops\"");
            }
        }
        JsonNode ops = root.get("ops");
        if (ops == null || !ops.isArray()) {
            throw new InvalidRequestException("\"ops\" must be an array of operations");
        }
        List<Mutation> mutations = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            mutations.add(mutation(ops.get(i), "ops[" + i + "]"));
        }
        return mutations;
    }

    private static Mutation mutation(JsonNode op, String at) throws InvalidRequestException {
        if (!op.isObject()) {
            throw new InvalidRequestException(at + " must be an object with \"op\" and \"key\"");
        }
        String kind = text(op, "op", at);
        String key = text(op, "key", at);
        long expected = op.has("ifVersion") ? version(op.get("ifVersion"), at) : Mutation.ANY_VERSION;
        switch (kind) {
            case "put" -> {
                only(op, PUT_FIELDS, at);
                boolean text = op.has("value");
                boolean base64 = op.has("valueBase64");
                if (text == base64) {
                    throw new InvalidRequestException(at + " (put) needs exactly one of \"value\" and \"valueBase64\"");
                }
                String value = text ? text(op, "value", at) : utf8(base64(text(op, "valueBase64", at), at), at);
                return new Mutation.Put(key, value, expected);
            }
            case "delete" -> {
                only(op, DELETE_FIELDS, at);
                return new Mutation.Delete(key, expected);
            }
            default -> throw new InvalidRequestException(at + ".op is '" + kind + "'; it must be \"put\" or \"delete\"");
        }
    }

    private static String text(JsonNode op, String field, String at) throws InvalidRequestException {
        JsonNode v = op.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRequestException(at + "." + field + " is missing");
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(at + "." + field + " must be a string, not " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v.textValue();
    }

    private static long version(JsonNode v, String at) throws InvalidRequestException {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new InvalidRequestException(at + ".ifVersion must be a whole number from 0, not " + v);
        }
        return v.longValue();
    }

    private static void only(JsonNode op, Set<String> allowed, String at) throws InvalidRequestException {
        for (Iterator<String> it = op.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new InvalidRequestException(at + " has unknown member '" + name + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static byte[] base64(String s, String at) throws InvalidRequestException {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(at + ".valueBase64 is not base64: " + e.getMessage());
        }
    }

    private static String utf8(byte[] bytes, String at) throws InvalidRequestException {
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(at + ".valueBase64 does not decode to UTF-8 text; values are text");
        }
    }
}
