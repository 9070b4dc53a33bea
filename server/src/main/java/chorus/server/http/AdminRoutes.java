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

    /** What {@code method path} answers; {@code authorization} is the header as sent, or null. */
    Object route(String method, String path, String authorization, byte[] body) throws ChorusException, RemoteException {
        String route = path.substring(PREFIX.length());
        switch (route) {
            case "status" -> {
                requireMethod(method, "GET", path);
                return admin.status();
            }
            case "members" -> {
                requireMethod(method, "GET", path);
                return admin.members();
            }
            case "in-doubt" -> {
                requireMethod(method, "GET", path);
                return admin.inDoubt().stream().map(AdminRoutes::inDoubt).toList();
            }
            case "failure" -> {
                requireMethod(method, "PUT", path);
                boolean failed = booleanMember(object(body, "{\"failed\": true}"), "failed");
                operator(authorization).setSimulatedFailure(failed);
                return Map.of("replica", replica, "failed", failed);
            }
            case "readmit" -> {
                requireMethod(method, "POST", path);
                return operator(authorization).readmit(replica);
            }
            default -> {
                if (route.startsWith("exclude/")) {
                    requireMethod(method, "POST", path);
                    return operator(authorization).exclude(replicaId(route.substring("exclude/".length())));
                }
                if (route.startsWith("in-doubt/")) {
                    requireMethod(method, "POST", path);
                    TxId tx = txId(route.substring("in-doubt/".length()));
                    JsonNode o = object(body, "{\"decision\": \"ABORT\", \"note\": \"why\"}");
                    Decision decision = decision(o);
                    String note = textMember(o, "note");
                    ReplicaAdmin operator = operator(authorization);
                    try {
                        operator.forceDecision(tx, decision, note);
                    } catch (NotPermittedException e) {
                        // The caller is the operator by now: the refusal is that no such transaction is held here.
                        throw new NotFound(e.getMessage());
                    }
                    return Map.of("tx", tx.toString(), "decision", decision.name(), "replica", replica);
                }
                throw new NotFound("no operator route at " + path + "; this replica serves GET " + PREFIX + "status, GET " + PREFIX
                        + "members, GET " + PREFIX + "in-doubt, PUT " + PREFIX + "failure, POST " + PREFIX + "exclude/{replica}, POST "
                        + PREFIX + "readmit and POST " + PREFIX + "in-doubt/{tx} (docs/http.md)");
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
                    + shorten(parts[0]) + "'");
        }
        return access.operator(parts[1]);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static void requireMethod(String method, String allowed, String path) throws MethodNotAllowed {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(method + " is not served at " + path + "; allowed: " + allowed, allowed);
        }
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
    static final class TokenMissing extends NotPermittedException {
        private static final long serialVersionUID = 1L;

        TokenMissing(String message) {
            super(message);
        }
    }

    /** No such operator route (404). */
    static final class NotFound extends InvalidRequestException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** The route exists, the method does not (405). */
    static final class MethodNotAllowed extends InvalidRequestException {
        private static final long serialVersionUID = 1L;
        private final String allowed;

        MethodNotAllowed(String message, String allowed) {
            super(message);
            this.allowed = allowed;
        }

        String allowed() {
            return allowed;
        }
    }
}
