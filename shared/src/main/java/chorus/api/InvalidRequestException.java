package chorus.api;

/** The request itself is wrong (bad key, value, version, page size...): nothing was changed. */
public class InvalidRequestException extends ChorusException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
