package chorus.api;

import chorus.api.model.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request may contain, checked by clients before sending and by every replica before it
 * touches anything. Each rejection names the problem and the limit.
 */
public final class Limits {

    /** Keys: non-empty, at most 1 KiB of UTF-8, no control characters. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Values: at most 1 MiB of UTF-8. */
    public static final int MAX_VALUE_BYTES = 1024 * 1024;
    /** Mutations in one atomic batch. */
    public static final int MAX_BATCH_MUTATIONS = 10_000;
    /** Total UTF-8 bytes of keys and values in one batch. */
    public static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    /**
     * The most bytes one client call may take on the wire; a replica stops reading a call at this
     * many (before it is in memory) and drops the connection. Keys and values travel as Java
     * strings, in modified UTF-8, up to 1.5 times their UTF-8 (a supplementary character: 4 bytes
     * of UTF-8, 6 of modified UTF-8); each mutation adds its class reference and version (well
     * under 64 bytes), and the call its RMI header and method (well under 1 MiB).
     */
    public static final int MAX_REQUEST_BYTES = MAX_BATCH_BYTES / 2 * 3 + MAX_BATCH_MUTATIONS * 64 + (1 << 20);

    private Limits() {
    }

    public static void checkKey(String key) throws InvalidRequestException {
        if (key == null) {
            throw new InvalidRequestException("key is missing (null)");
        }
        if (key.isEmpty()) {
            throw new InvalidRequestException("key is empty; a key needs 1 to " + MAX_KEY_BYTES + " bytes of UTF-8");
        }
        checkText("key", key, false);
        int bytes = utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new RequestTooLargeException("key is " + bytes + " bytes of UTF-8; the limit is " + MAX_KEY_BYTES + " bytes");
        }
    }

    public static void checkValue(String value) throws InvalidRequestException {
        if (value == null) {
            throw new InvalidRequestException("value is missing (null); use delete to remove a key");
        }
        checkText("value", value, true);
        int bytes = utf8Length(value);
        if (bytes > MAX_VALUE_BYTES) {
            throw new RequestTooLargeException("value is " + bytes + " bytes of UTF-8; the limit is " + MAX_VALUE_BYTES + " bytes (1 MiB)");
        }
    }

    public static void checkExpectedVersion(long expected) throws InvalidRequestException {
        if (expected < 0 && expected != Mutation.ANY_VERSION) {
            throw new InvalidRequestException("expected version " + expected + " is negative; versions start at 0 (key absent)");
        }
    }

    /** Checks a whole batch: each mutation, the count, the size, and that no key appears twice. */
    public static void checkBatch(List<Mutation> mutations) throws InvalidRequestException {
        if (mutations == null || mutations.isEmpty()) {
            throw new InvalidRequestException("batch is empty; it needs 1 to " + MAX_BATCH_MUTATIONS + " mutations");
        }
        if (mutations.size() > MAX_BATCH_MUTATIONS) {
            throw new RequestTooLargeException("batch has " + mutations.size() + " mutations; the limit is " + MAX_BATCH_MUTATIONS);
        }
        Set<String> keys = new HashSet<>();
        long bytes = 0;
        for (Mutation m : mutations) {
            if (m == null) {
                throw new InvalidRequestException("batch contains a missing (null) mutation");
            }
            checkKey(m.key());
            checkExpectedVersion(m.expectedVersion());
            if (m instanceof Mutation.Put put) {
                checkValue(put.value());
                bytes += utf8Length(put.value());
            }
            bytes += utf8Length(m.key());
            if (!keys.add(m.key())) {
                throw new InvalidRequestException("key '" + abbreviate(m.key()) + "' appears twice in one batch");
            }
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw new RequestTooLargeException("batch holds " + bytes + " bytes of keys and values; the limit is " + MAX_BATCH_BYTES);
        }
    }

    /** Shortens a key for messages so that a 1 KiB key does not flood a log line. */
    public static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static void checkText(String what, String s, boolean allowLineBreaks) throws InvalidRequestException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidRequestException(what + " has an unpaired surrogate at index " + i + "; it is not valid Unicode");
            }
            if (Character.isLowSurrogate(c)) {
                throw new InvalidRequestException(what + " has an unpaired surrogate at index " + i + "; it is not valid Unicode");
            }
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if (Character.isISOControl(c) && !(allowLineBreaks && lineBreak)) {
                throw new InvalidRequestException(what + " has control character U+" + String.format("%04X", (int) c)
                        + " at index " + i + (allowLineBreaks ? "; only tab and line breaks are allowed" : "; keys allow none"));
            }
        }
    }

    private static int utf8Length(String s) {
        // Cheap upper bound first: most values are far below the limit.
        if ((long) s.length() * 3 <= MAX_KEY_BYTES) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
