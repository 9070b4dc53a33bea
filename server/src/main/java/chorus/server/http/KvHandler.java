package chorus.server.http;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.KeyValueService;
import chorus.api.Limits;
import chorus.api.RequestTooLargeException;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.server.protocol.ReplicaNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the HTTP/JSON API (docs/http.md), translated one to one into calls of the replica's
 * client service, the same object that RMI exports: no protocol logic here, only HTTP's forms
 * (paths, ETags and preconditions, problem details). Blocking: a write waits for its commit point
 * on one of Jetty's bounded pool of threads.
 */
final class KvHandler extends Handler.Abstract {

    static final String KV = "/v1/kv/";
    static final String TXN = "/v1/txn";
    static final String LIST = "/v1/kv";
    static final String WATCH = "/v1/watch";
    private static final Logger LOG = LoggerFactory.getLogger(KvHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    /** Bodies refused for their size are still read to the end up to this much (see {@link #drain}). */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    private static final int ADMIN_BODY_LIMIT = 64 * 1024;

    private final int replica;
    private final KeyValueService kv;
    private final AdminRoutes admin;
    private final Health health;
    private final PrometheusMetrics metrics;
    private final ReplicaNode node;
    private final ChangeFeed feed;

    KvHandler(ReplicaNode node, KeyValueService kv, AdminRoutes admin, Health health, PrometheusMetrics metrics, ChangeFeed feed) {
        this.replica = node.address().id();
        this.node = node;
        this.kv = kv;
        this.admin = admin;
        this.health = health;
        this.metrics = metrics;
        this.feed = feed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (WATCH.equals(path) && request.getMethod().equals("GET")) {
            watch(request, response, callback);
            return true;
        }
        Reply reply;
        try {
            reply = route(request, path == null ? "/" : path);
        } catch (ChorusException e) {
            reply = Reply.problem(Problem.from(e), path);
        } catch (RemoteException e) {
            // The failure switch: the replica answers as a crashed one would, and says so.
            reply = Reply.problem(Problem.of(503, "replica-down", "Replica down", e.getMessage()).with("retry", true), path);
        } catch (RuntimeException e) {
            LOG.error("HTTP {} {} failed", request.getMethod(), path, e);
            reply = Reply.problem(Problem.of(500, "replica-error", "Replica error", "replica " + replica + " failed to answer: " + e), path);
        }
        consumeRest(request);
        reply.send(replica, response, callback);
        return true;
    }

    /**
     * Reads what is left of a body before answering (a request refused before its body was read):
     * otherwise Jetty closes the connection under a client that may reuse it for its next request.
     */
    private static void consumeRest(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            drain(in, request.getLength());
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to answer then
        }
    }

    private Reply route(Request request, String path) throws ChorusException, RemoteException {
        String method = request.getMethod();
        if (path.equals("/health/live") || path.equals("/health/ready")) {
            if (!method.equals("GET")) {
                return Reply.notAllowed(path, method, "GET");
            }
            return path.endsWith("live") ? Reply.json(200, Map.of("status", "UP", "replica", replica)) : ready();
        }
        if (path.equals("/metrics")) {
            // Served with the failure switch on too: an operator watches a switched-off replica.
            return method.equals("GET") ? new Reply(200, metrics.contentType(), metrics.scrape(), Map.of())
                    : Reply.notAllowed(path, method, "GET");
        }
        if (path.equals(WATCH)) {
            return Reply.notAllowed(path, method, "GET");
        }
        if (path.startsWith(AdminRoutes.PREFIX)) {
            // Served with the failure switch on too, as RMI's admin calls are: it is how the switch goes off.
            byte[] body = bytes(request, ADMIN_BODY_LIMIT, "an operator request");
            if (body.length > 0) {
                requireJson(request, "an operator request");
            }
            return admin.route(method, path, request.getHeaders().get(HttpHeader.AUTHORIZATION), body);
        }
        if (path.equals(TXN)) {
            return method.equals("POST") ? txn(request) : Reply.notAllowed(path, method, "POST");
        }
        if (path.equals(LIST)) {
            if (!method.equals("GET")) {
                return Reply.notAllowed(path, method, "GET");
            }
            org.eclipse.jetty.util.Fields q;
            try {
                q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                throw new InvalidRequestException("the query is malformed: " + e.getMessage());
            }
            String values = q.getValue("values");
            if (values != null && !values.equals("true") && !values.equals("false")) {
                throw new InvalidRequestException("values must be true or false, not '" + shorten(values) + "'");
            }
            return Reply.json(200, KeyListing.page(node, q.getValue("prefix") == null ? "" : q.getValue("prefix"), q.getValue("after"),
                    q.getValue("limit"), "true".equals(values)));
        }
        if (path.startsWith(KV)) {
            String key = KeyPath.decode(path.substring(KV.length()));
            return switch (method) {
                case "GET" -> get(key, request.getHeaders().get(HttpHeader.IF_NONE_MATCH));
                case "PUT" -> put(key, request);
                case "DELETE" -> delete(key, request);
                default -> Reply.notAllowed(path, method, "GET, PUT, DELETE");
            };
        }
        return Reply.problem(Problem.of(404, "not-found", "Not found", "no resource at " + shorten(path)
                + "; this replica serves " + KV + "{key}, " + LIST + "?prefix=, " + TXN + ", " + WATCH + ", " + AdminRoutes.PREFIX + "..., /metrics, /health/live and /health/ready (docs/http.md)"), path);
    }

    /**
     * A watch holds its thread for as long as the client listens; at most {@link ChangeFeed#MAX_WATCHERS}
     * at once. Refusals before the stream starts are problem details like any other.
     */
    private void watch(Request request, Response response, Callback callback) {
        if (!feed.tryOpen()) {
            Reply.problem(Problem.of(503, "too-many-watches", "Too many watches", "replica " + replica + " serves "
                    + ChangeFeed.MAX_WATCHERS + " watches at once already; watch at another replica, or later").with("retry", true), WATCH)
                    .send(replica, response, callback);
            return;
        }
        try {
            String prefix;
            long start;
            try {
                org.eclipse.jetty.util.Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                prefix = query.getValue("prefix") == null ? "" : query.getValue("prefix");
                String last = request.getHeaders().get("Last-Event-ID");
                start = WatchStream.start(node, last != null ? last : query.getValue("after"));
                String gone = WatchStream.gone(node, start);
                if (gone != null) {
                    Reply.problem(Problem.of(410, "changes-gone", "Changes no longer held", gone), WATCH).send(replica, response, callback);
                    return;
                }
            } catch (ChorusException e) {
                Reply.problem(Problem.from(e), WATCH).send(replica, response, callback);
                return;
            } catch (RuntimeException e) {
                Reply.problem(Problem.of(400, "invalid-request", "Invalid request", "the query is malformed: " + e.getMessage()), WATCH)
                        .send(replica, response, callback);
                return;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put("Chorus-Replica", String.valueOf(replica));
            try (java.io.OutputStream out = Content.Sink.asOutputStream(response)) {
                new WatchStream(node, feed, prefix, start).run(out);
            } catch (IOException e) {
                // The client went away: the usual end of a watch.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ChorusException | RuntimeException e) {
                LOG.warn("watch at replica {} ended: {}", replica, e.toString());
            }
            callback.succeeded();
        } finally {
            feed.release();
        }
    }

    private Reply ready() {
        List<String> reasons = health.notReadyBecause();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "UP" : "DOWN");
        body.put("replica", replica);
        body.put("reasons", reasons);
        return Reply.json(reasons.isEmpty() ? 200 : 503, body);
    }

    private Reply get(String key, String ifNoneMatch) throws ChorusException, RemoteException {
        Limits.checkKey(key);
        ReadResult r = kv.get(key);
        String etag = Preconditions.etag(r.version());
        if (!r.found()) {
            return Reply.problem(Problem.of(404, "no-such-key", "No such key", "key '" + Limits.abbreviate(key) + "' is absent at replica "
                    + r.replica() + " (version " + r.version() + ")").with("version", r.version()), KV + KeyPath.encode(key))
                    .header("ETag", etag);
        }
        if (ifNoneMatch != null && ifNoneMatch.trim().equals(etag)) {
            return new Reply(304, null, new byte[0], Map.of("ETag", etag));
        }
        return new Reply(200, TEXT, r.value().getBytes(StandardCharsets.UTF_8), Map.of("ETag", etag));
    }

    private Reply put(String key, Request request) throws ChorusException, RemoteException {
        Limits.checkKey(key);
        Preconditions pre = Preconditions.parse(request.getHeaders().get(HttpHeader.IF_MATCH),
                request.getHeaders().get(HttpHeader.IF_NONE_MATCH));
        String value = body(request);
        return written(key, kv.execute(List.of(new Mutation.Put(key, value, expected(key, pre)))));
    }

    private Reply delete(String key, Request request) throws ChorusException, RemoteException {
        Limits.checkKey(key);
        Preconditions pre = Preconditions.parse(request.getHeaders().get(HttpHeader.IF_MATCH),
                request.getHeaders().get(HttpHeader.IF_NONE_MATCH));
        if (pre instanceof Preconditions.Absent) {
            throw new InvalidRequestException("If-None-Match: * (create only) does not go with DELETE");
        }
        return written(key, kv.execute(List.of(new Mutation.Delete(key, expected(key, pre)))));
    }

    /**
     * The expected version for a write's preconditions. "Exists" and "absent" read the key here and
     * then write at the version read: a write in between changes the version, so the conditional
     * write fails as it should (412) rather than acting on a stale answer.
     */
    private long expected(String key, Preconditions pre) throws ChorusException, RemoteException {
        if (pre instanceof Preconditions.AtVersion at) {
            return at.version();
        }
        if (pre instanceof Preconditions.None) {
            return Mutation.ANY_VERSION;
        }
        ReadResult now = kv.get(key);
        if (pre instanceof Preconditions.Exists && !now.found()) {
            throw new PreconditionFailed("key '" + Limits.abbreviate(key) + "' is absent (version " + now.version() + "); If-Match: * needs it present");
        }
        if (pre instanceof Preconditions.Absent && now.found()) {
            throw new PreconditionFailed("key '" + Limits.abbreviate(key) + "' exists at version " + now.version() + "; If-None-Match: * creates only");
        }
        return now.version();
    }

    private Reply txn(Request request) throws ChorusException, RemoteException {
        requireJson(request, "a transaction");
        List<Mutation> mutations = TxnBody.parse(bytes(request, Limits.MAX_REQUEST_BYTES, "transaction"));
        WriteResult w = kv.execute(mutations);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tx", String.valueOf(w.txId()));
        body.put("versions", w.versions());
        body.put("coordinator", w.coordinator());
        body.put("attempts", w.attempts());
        body.put("latencyMicros", w.latencyMicros());
        return Reply.json(200, body);
    }

    /** A body that says what it is must say JSON (415 otherwise); one that says nothing is read as JSON. */
    private static void requireJson(Request request, String what) throws UnsupportedMediaType {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith(JSON_TYPE)) {
            throw new UnsupportedMediaType(what + " is JSON (Content-Type: application/json), not '" + shorten(type) + "'");
        }
    }

    private Reply written(String key, WriteResult w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("version", w.versions().get(key));
        body.put("tx", String.valueOf(w.txId()));
        body.put("coordinator", w.coordinator());
        body.put("attempts", w.attempts());
        body.put("latencyMicros", w.latencyMicros());
        return Reply.json(200, body).header("ETag", Preconditions.etag(w.versions().get(key)));
    }

    /** The request body as the value: UTF-8 text of at most {@link Limits#MAX_VALUE_BYTES}. */
    private static String body(Request request) throws InvalidRequestException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("charset=")
                && !type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").matches(".*charset=\"?utf-8\"?.*")) {
            throw new UnsupportedMediaType("values are UTF-8 text; Content-Type '" + shorten(type) + "' names another charset");
        }
        byte[] bytes = bytes(request, Limits.MAX_VALUE_BYTES, "value");
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("value is not valid UTF-8; values are text");
        }
    }

    /**
     * The body, at most {@code limit} bytes, read blocking; a client stalled mid-body meets the
     * connection's idle timeout (limits.idle-timeout.ms).
     */
    private static byte[] bytes(Request request, int limit, String what) throws InvalidRequestException {
        String unit = limit == Limits.MAX_VALUE_BYTES ? " bytes (1 MiB)" : " bytes";
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > limit) {
                drain(in, declared);
                throw new RequestTooLargeException(what + " is " + declared + " bytes" + (what.equals("value") ? " of UTF-8" : "")
                        + "; the limit is " + limit + unit);
            }
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                drain(in, DRAIN_LIMIT);
                throw new RequestTooLargeException(what + " is over " + limit + " bytes; the limit is " + limit + unit);
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidRequestException("the body broke off: " + e.getMessage());
        }
    }

    /**
     * Reads and drops the rest of a refused body when it is not huge: many clients read no answer
     * until they have sent their whole body, and would see a reset connection instead of the 413.
     */
    private static void drain(InputStream in, long declared) throws IOException {
        if (declared > DRAIN_LIMIT) {
            return; // huge: the connection is closed instead
        }
        byte[] buffer = new byte[16 * 1024];
        long left = DRAIN_LIMIT;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** A precondition of the request itself failed (412), before any write was tried. */
    static final class PreconditionFailed extends ChorusException {
        private static final long serialVersionUID = 1L;

        PreconditionFailed(String message) {
            super(message);
        }
    }

    /** The body is not UTF-8 text by its own declaration (415). */
    static final class UnsupportedMediaType extends InvalidRequestException {
        private static final long serialVersionUID = 1L;

        UnsupportedMediaType(String message) {
            super(message);
        }
    }

    /** One answer: status, content type, body and extra headers. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

        static Reply json(int status, Object body) {
            try {
                return new Reply(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
            }
        }

        static Reply problem(Problem p, String instance) {
            try {
                return new Reply(p.status(), Problem.MEDIA_TYPE, JSON.writeValueAsBytes(p.body(instance)), Map.of());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
            }
        }

        static Reply notAllowed(String path, String method, String allowed) {
            return problem(Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not served at " + shorten(path)
                    + "; allowed: " + allowed), path).header("Allow", allowed);
        }

        Reply header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more);
        }

        void send(int replica, Response response, Callback callback) {
            response.setStatus(status);
            response.getHeaders().put("Chorus-Replica", String.valueOf(replica));
            headers.forEach((k, v) -> response.getHeaders().put(k, v));
            if (contentType != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            }
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
