package chorus.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that Jetty refuses before any route sees them (a URI it cannot parse, headers too large)
 * are answered as problem details too, so that a client meets one error format, never an HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int replica;

    ProblemErrorHandler(int replica) {
        this.replica = replica;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        String reason = message != null && !message.isBlank() ? message : HttpStatus.getMessage(code);
        if (cause != null && cause.getMessage() != null && !reason.contains(cause.getMessage())) {
            reason = reason + ": " + cause.getMessage();
        }
        if (code == HttpStatus.BAD_REQUEST_400 && reason.replace("400", "").replace(":", "").replace("Bad Request", "").isBlank()) {
            // Jetty's parser says no more than "Bad Request" for a URI it cannot read.
            reason = "it is not well-formed HTTP; check the URI (every % followed by two hex digits) and the headers";
        }
        String path = request.getHttpURI() == null ? "" : String.valueOf(request.getHttpURI().getPath());
        Problem p = Problem.of(code, "http-" + code, HttpStatus.getMessage(code), "replica " + replica + " refused the request: " + reason);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.getHeaders().put("Chorus-Replica", String.valueOf(replica));
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(p.body(path))), callback);
    }
}
