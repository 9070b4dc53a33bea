package chorus.server.http;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.NotServingException;
import chorus.api.OutcomeUnknownException;
import chorus.api.ReadTimeoutException;
import chorus.api.RequestTooLargeException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.model.AbortCause;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as RFC 9457 problem details: a status, a type naming the kind of problem, a title, and a
 * detail in the same words as the RMI API's exception. Extensions say what a program needs without
 * parsing the words: the transaction, the abort cause, the replica.
 */
record Problem(int status, String type, String title, String detail, Map<String, Object> extensions) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "https://chorus.invalid/problems/";

    Problem {
        extensions = Map.copyOf(extensions);
    }

    static Problem of(int status, String kind, String title, String detail) {
        return new Problem(status, TYPE_PREFIX + kind, title, detail, Map.of());
    }

    Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, type, title, detail, more);
    }

    /** The problem for an exception of the replica's client service, with the status that fits it. */
    static Problem from(ChorusException e) {
        if (e instanceof KvHandler.PreconditionFailed) {
            return of(412, "precondition-failed", "Precondition failed", e.getMessage());
        }
        if (e instanceof KvHandler.UnsupportedMediaType) {
            return of(415, "unsupported-media-type", "Unsupported media type", e.getMessage());
        }
        if (e instanceof RequestTooLargeException) {
            return of(413, "too-large", "Request too large", e.getMessage());
        }
        if (e instanceof InvalidRequestException) {
            return of(400, "invalid-request", "Invalid request", e.getMessage());
        }
        if (e instanceof TransactionAbortedException a) {
            Problem p = switch (a.abortCause()) {
                case VERSION_MISMATCH -> of(412, "version-mismatch", "Version mismatch", a.getMessage());
                case CONFLICT -> of(409, "conflict", "Conflict", a.getMessage());
                default -> of(503, "aborted", "Transaction aborted", a.getMessage());
            };
            return p.with("tx", String.valueOf(a.txId())).with("abortCause", a.abortCause().name())
                    .with("reason", a.reason()).with("retry", a.abortCause() != AbortCause.VERSION_MISMATCH);
        }
        if (e instanceof OutcomeUnknownException u) {
            return of(504, "outcome-unknown", "Outcome unknown", e.getMessage()).with("tx", String.valueOf(u.txId()));
        }
        if (e instanceof NotServingException) {
            return of(503, "not-serving", "Replica not serving", e.getMessage()).with("retry", true);
        }
        if (e instanceof ReadTimeoutException) {
            return of(503, "read-timeout", "Read timed out", e.getMessage()).with("retry", true);
        }
        if (e instanceof WriteNotStartedException) {
            return of(503, "write-not-started", "Write not started", e.getMessage()).with("retry", true);
        }
        if (e instanceof NotPermittedException) {
            return of(403, "not-permitted", "Not permitted", e.getMessage());
        }
        return of(500, "replica-error", "Replica error", e.getMessage());
    }

    /** The JSON members in the order RFC 9457 lists them, extensions after. */
    Map<String, Object> body(String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("title", title);
        m.put("status", status);
        m.put("detail", detail);
        m.put("instance", instance);
        m.putAll(extensions);
        return m;
    }
}
