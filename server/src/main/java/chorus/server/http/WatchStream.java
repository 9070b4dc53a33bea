package chorus.server.http;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.server.protocol.Change;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.ReplicaNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One watch ({@code GET /v1/watch?prefix=P}) as server-sent events: each committed change of a key
 * under the prefix, in this replica's apply order, with the apply sequence number as the event id.
 * A client that reconnects with {@code Last-Event-ID} gets every change after that id that the
 * replica's change log still holds; when the log no longer reaches back that far, the client is
 * told so (410 before the stream, a {@code truncated} event within it) and must read afresh.
 */
final class WatchStream {

    /** A comment line this often keeps proxies and clients from timing out an idle stream. */
    static final long KEEP_ALIVE_MILLIS = 10_000;
    private static final int PAGE = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReplicaNode node;
    private final ChangeFeed feed;
    private final String prefix;
    private long position;

    WatchStream(ReplicaNode node, ChangeFeed feed, String prefix, long position) {
        this.node = node;
        this.feed = feed;
        this.prefix = prefix;
        this.position = position;
    }

    /** The position a watch starts from: after {@code lastEventId}, or now. */
    static long start(ReplicaNode node, String lastEventId) throws InvalidRequestException {
        if (lastEventId == null || lastEventId.isBlank()) {
            return node.changesAfter(0, 1).lastSeq();
        }
        try {
            long id = Long.parseLong(lastEventId.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Last-Event-ID must be an event id of this replica (a whole number from 0), not '"
                    + Limits.abbreviate(lastEventId) + "'");
        }
    }

    /** Whether the log still holds every change after the start (else the watch cannot begin there). */
    static String gone(ReplicaNode node, long after) throws InvalidRequestException {
        ChangesPage p = node.changesAfter(after, 1);
        if (p.truncated()) {
            return "replica " + node.address().id() + " no longer holds the changes after " + after + "; the oldest it holds is "
                    + p.oldestRetainedSeq() + ": read the keys afresh, then watch from there";
        }
        if (after > p.lastSeq()) {
            return "replica " + node.address().id() + " has applied changes up to " + p.lastSeq() + " only, not " + after
                    + ": an event id of another replica? Ids are per replica";
        }
        return null;
    }

    /** Streams until the client goes away or the server closes; every wait bounded by the keep-alive. */
    void run(OutputStream out) throws IOException, InterruptedException, InvalidRequestException {
        out.write((": watching '" + prefix + "' at replica " + node.address().id() + " from change " + position + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            long seen = feed.wakeups();
            ChangesPage page = node.changesAfter(position, PAGE);
            if (page.truncated()) {
                event(out, "truncated", position, Map.of("detail", "replica " + node.address().id() + " no longer holds the changes after "
                        + position + " (the watch fell behind); read the keys afresh, then watch from " + (page.oldestRetainedSeq() - 1)));
                return;
            }
            for (Change c : page.changes()) {
                if (c.key().startsWith(prefix)) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("key", c.key());
                    data.put("value", c.value());
                    data.put("version", c.version());
                    data.put("tx", c.txId() == null ? null : String.valueOf(c.txId()));
                    event(out, c.present() ? "put" : "delete", c.seq(), data);
                }
            }
            position = page.nextAfterSeq();
            out.flush();
            if (page.reachedEnd()) {
                if (!feed.await(seen, KEEP_ALIVE_MILLIS)) {
                    return; // the server is stopping
                }
                if (feed.wakeups() == seen) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
    }

    private static void event(OutputStream out, String name, long id, Map<String, Object> data) throws IOException {
        out.write(("id: " + id + "\nevent: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(JSON.writeValueAsBytes(data)); // JSON has no raw line breaks: one data line
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
