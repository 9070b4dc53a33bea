package chorus.server.http;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.model.ContentsPage;
import chorus.api.model.KeyEntry;
import chorus.server.protocol.ReplicaNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/kv?prefix=&after=&limit=&values=}: the keys under a prefix, in key order, a page at
 * a time, from this replica's committed state (as {@code kv dump} reads it: no read lease, no wait
 * for a prepared write; a GET of one key is the linearizable read). Keys with a common prefix sit
 * together in key order, so a page runs from just after {@code after} (or from the prefix itself)
 * to the first key outside the prefix.
 */
final class KeyListing {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private KeyListing() {
    }

    static Map<String, Object> page(ReplicaNode node, String prefix, String after, String limitText, boolean values)
            throws InvalidRequestException {
        int limit = limit(limitText);
        if (after != null) {
            Limits.checkKey(after);
        }
        List<Map<String, Object>> keys = new ArrayList<>();
        String cursor;
        if (after == null || after.compareTo(prefix) < 0) {
            // From the prefix itself, which may be a key: scans are exclusive of their start.
            if (!prefix.isEmpty()) {
                node.committedEntry(prefix).ifPresent(e -> keys.add(entry(e, values)));
            }
            cursor = prefix;
        } else {
            cursor = after;
        }
        boolean more = true;
        while (keys.size() <= limit && more) {
            ContentsPage page = node.contents(cursor, Math.min(MAX_LIMIT, limit + 1 - keys.size()));
            for (KeyEntry e : page.entries()) {
                if (!e.key().startsWith(prefix)) {
                    more = false;
                    break;
                }
                if (e.value() != null) { // a key held by a prepared write may not be present yet
                    keys.add(entry(e, values));
                }
            }
            if (page.nextAfterKey() == null) {
                more = false;
            } else {
                cursor = page.nextAfterKey();
            }
        }
        // One key past the page tells whether another page follows.
        String next = null;
        if (keys.size() > limit) {
            keys.subList(limit, keys.size()).clear();
            next = (String) keys.get(limit - 1).get("key");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replica", node.address().id());
        body.put("keys", keys);
        body.put("next", next);
        return body;
    }

    private static Map<String, Object> entry(KeyEntry e, boolean values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.key());
        m.put("version", e.version());
        if (values) {
            m.put("value", e.value());
        }
        return m;
    }

    private static int limit(String text) throws InvalidRequestException {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRequestException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + Limits.abbreviate(text) + "'");
    }
}
