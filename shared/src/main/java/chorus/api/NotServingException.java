package chorus.api;

/**
 * This replica may not serve the request now, and another replica may: it is no member of the
 * current membership view (it was excluded), or it holds no read lease (it cannot reach a majority).
 * Nothing was read or written. The message names the replica, its view and the reason.
 */
public class NotServingException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public NotServingException(String message) {
        super(message);
    }
}
