package chorus.api.config;

/** The cluster file is missing, malformed or contradictory; the message names the file and the entry. */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
