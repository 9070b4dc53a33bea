package chorus.api;

/**
 * The request is over one of Chorus's size limits (a key, a value, a batch; see {@link Limits}):
 * nothing was changed. A kind of {@link InvalidRequestException}, told apart so that the HTTP API
 * can answer 413 where it answers 400 for other bad input.
 */
public class RequestTooLargeException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(String message) {
        super(message);
    }
}
