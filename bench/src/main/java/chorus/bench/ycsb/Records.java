package chorus.bench.ycsb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

/**
 * A YCSB record (field name to value) as one string value, so that both systems store exactly the
 * same bytes per key: {@code NAME_LENGTH:NAME VALUE_LENGTH:VALUE} repeated, lengths in decimal.
 * Length prefixes rather than separators, because YCSB's random values may contain any printable
 * character.
 *
 * <p>YCSB's random values are printable ASCII plus DEL (0x7F), a control character that Chorus's
 * API refuses in values; {@link #encode} writes DEL as {@code '?'}, for both systems alike, so
 * every stored value still has the configured length.
 */
public final class Records {

    private Records() {
    }

    /** Encodes the fields in name order (one record always encodes to the same string). */
    public static String encode(Map<String, ByteIterator> fields) {
        StringBuilder sb = new StringBuilder(128 * Math.max(1, fields.size()));
        for (Map.Entry<String, ByteIterator> f : new TreeMap<>(fields).entrySet()) {
            String value = f.getValue().toString().replace((char) 0x7f, '?');
            sb.append(f.getKey().length()).append(':').append(f.getKey());
            sb.append(value.length()).append(':').append(value);
        }
        return sb.toString();
    }

    /** Encodes fields that are plain strings already (the result of a merge). */
    public static String encodeStrings(Map<String, String> fields) {
        Map<String, ByteIterator> m = new TreeMap<>();
        fields.forEach((k, v) -> m.put(k, new StringByteIterator(v)));
        return encode(m);
    }

    /**
     * Decodes {@code record}, keeping only {@code wanted} fields (all when null).
     *
     * @throws IllegalArgumentException if the string is not an encoded record
     */
    public static Map<String, String> decode(String record, Set<String> wanted) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < record.length()) {
            int[] next = new int[1];
            String name = chunk(record, i, next);
            String value = chunk(record, next[0], next);
            i = next[0];
            if (wanted == null || wanted.contains(name)) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** Copies decoded fields into YCSB's result map. */
    public static void into(Map<String, String> fields, Map<String, ByteIterator> result) {
        fields.forEach((k, v) -> result.put(k, new StringByteIterator(v)));
    }

    private static String chunk(String s, int from, int[] next) {
        int colon = s.indexOf(':', from);
        if (colon <= from) {
            throw new IllegalArgumentException("not an encoded record at offset " + from);
        }
        int length;
        try {
            length = Integer.parseInt(s, from, colon, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an encoded record at offset " + from, e);
        }
        int end = colon + 1 + length;
        if (length < 0 || end > s.length()) {
            throw new IllegalArgumentException("record truncated at offset " + from);
        }
        next[0] = end;
        return s.substring(colon + 1, end);
    }
}
