package chorus.server.http;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.server.transport.LocalAdmin;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.rmi.RemoteException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's routes under {@code /v1/admin/} (docs/http.md): the replica's admin calls, the
 * same object and operator gate as RMI's admin interface. Reads need no token; the calls that change
 * state take the operator token as {@code Authorization: Bearer TOKEN} where the cluster sets one.
 */
final class AdminRoutes {

    static final String PREFIX = "/v1/admin/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int replica;
    private final LocalAdmin access;
    private final ReplicaAdmin admin;

    AdminRoutes(int replica, LocalAdmin access) {
        this.replica = replica;
        this.access = access;
        this.admin = access.plain();
    }

    /**
     * What {@code method path} answers; {@code authorization} is the header as sent, or null. Unknown
     * routes and methods are answered as every other route of the API answers them (404, 405).
     */
    KvHandler.Reply route(String method, String path, String authorization, byte[] body) throws ChorusException, RemoteException {
        String route = path.substring(PREFIX.length());
        String allowed = allowedMethod(route);
        if (allowed == null) {
            return KvHandler.Reply.problem(Problem.of(404, "not-found", "Not found", "no operator route at " + path
                    + "; this replica serves GET " + PREFIX + "status, GET " + PREFIX + "members, GET " + PREFIX + "in-doubt, PUT "
                    + PREFIX + "failure, POST " + PREFIX + "exclude/{replica}, POST " + PREFIX + "readmit and POST " + PREFIX
                    + "in-doubt/{tx} (docs/http.md)"), path);
        }
        if (!method.equals(allowed)) {
            return KvHandler.Reply.notAllowed(path, method, allowed);
        }
        try {
            return answer(route, path, authorization, body);
        } catch (TokenMissing e) {
            return KvHandler.Reply.problem(Problem.of(401, "token-missing", "Operator token missing", e.getMessage()), path)
                    .header("WWW-Authenticate", "Bearer realm=\"chorus\"");
        }
    }

    /** The one method each route serves, or null for no such route. */
    private static String allowedMethod(String route) {
        return switch (route) {
            case "status", "members", "in-doubt" -> "GET";
            case "failure" -> "PUT";
            case "readmit" -> "POST";
            default -> route.startsWith("exclude/") || route.startsWith("in-doubt/") ? "POST" : null;
        };
    }

    private KvHandler.Reply answer(String route, String path, String authorization, byte[] body) throws ChorusException, RemoteException {
        switch (route) {
            case "status" -> {
                return KvHandler.Reply.json(200, admin.status());
            }
            case "members" -> {
                return KvHandler.Reply.json(200, admin.members());
            }
            case "in-doubt" -> {
                return KvHandler.Reply.json(200, admin.inDoubt().stream().map(AdminRoutes::inDoubt).toList());
            }
            case "failure" -> {
                boolean failed = booleanMember(object(body, "{\"failed\": true}"), "failed");
                operator(authorization).setSimulatedFailure(failed);
                return KvHandler.Reply.json(200, Map.of("replica", replica, "failed", failed));
            }
            case "readmit" -> {
                return KvHandler.Reply.json(200, operator(authorization).readmit(replica));
            }
            default -> {
                if (route.startsWith("exclude/")) {
                    return KvHandler.Reply.json(200, operator(authorization).exclude(replicaId(route.substring("exclude/".length()))));
                }
                TxId tx = txId(route.substring("in-doubt/".length()));
                JsonNode o = object(body, "{\"decision\": \"ABORT\", \"note\": \"why\"}");
                Decision decision = decision(o);
                String note = textMember(o, "note");
                ReplicaAdmin operator = operator(authorization);
                try {
                    operator.forceDecision(tx, decision, note);
                } catch (NotPermittedException e) {
                    // The caller is the operator by now: the refusal is that no such transaction is held here.
                    return KvHandler.Reply.problem(Problem.of(404, "not-found", "Not found", e.getMessage()), path);
                }
                return KvHandler.Reply.json(200, Map.of("tx", tx.toString(), "decision", decision.name(), "replica", replica));
            }
        }
    }

    /**
     * The admin calls with the operator's rights. Without the header the calls that change state are
     * refused where a token is set (401); a wrong token is refused here (403). Both words are RMI's.
     */
    private ReplicaAdmin operator(String authorization) throws NotPermittedException {
        if (authorization == null) {
            if (access.tokenRequired()) {
                throw new TokenMissing("replica " + replica + " requires the operator token for this call; send it as "
                        + "Authorization: Bearer TOKEN");
            }
            return admin;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new TokenMissing("replica " + replica + " takes the operator token as Authorization: Bearer TOKEN, not as '"
                    + KvHandler.shorten(parts[0]) + "'");
        }
        return access.operator(parts[1]);
    }

    private static Map<String, Object> inDoubt(chorus.api.model.InDoubtTransaction t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tx", t.txId().toString());
        m.put("coordinator", t.coordinator());
        m.put("keys", t.keys());
        m.put("operation", t.operation());
        m.put("preparedAtMillis", t.preparedAtMillis());
        m.put("lastAttempt", t.lastAttempt());
        return m;
    }

    private static JsonNode object(byte[] body, String example) throws InvalidRequestException {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the body is not JSON (" + e.getOriginalMessage() + "); send for example " + example);
        } catch (IOException e) {
            throw new InvalidRequestException("the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object, for example " + example);
        }
        return node;
    }

    private static boolean booleanMember(JsonNode o, String name) throws InvalidRequestException {
        JsonNode v = o.get(name);
        if (v == null || !v.isBoolean()) {
            throw new InvalidRequestException("'" + name + "' must be true or false");
        }
        return v.booleanValue();
    }

    private static String textMember(JsonNode o, String name) throws InvalidRequestException {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new InvalidRequestException("'" + name + "' must be a non-empty string: it goes into the event log");
        }
        return v.textValue();
    }

    private static Decision decision(JsonNode o) throws InvalidRequestException {
        JsonNode v = o.get("decision");
        if (v != null && v.isTextual()) {
            try {
                return Decision.valueOf(v.textValue().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // named below
            }
        }
        throw new InvalidRequestException("'decision' must be \"COMMIT\" or \"ABORT\"");
    }

    private static TxId txId(String text) throws InvalidRequestException {
        try {
            return TxId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static int replicaId(String text) throws InvalidRequestException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'" + text + "' is not a replica id (a number from the cluster file)");
        }
    }

    /** No token was sent where the operator's is needed (401, with a WWW-Authenticate challenge). */
    private static final class TokenMissing extends NotPermittedException {
        private static final long serialVersionUID = 1L;

        TokenMissing(String message) {
            super(message);
        }
    }
}
