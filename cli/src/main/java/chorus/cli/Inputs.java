package chorus.cli;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.model.Mutation;
import java.util.List;

/**
 * Checks of what the user typed, before anything is sent: keys and values through
 * {@link Limits} (the replicas check the same), versions as whole numbers. Each failure is an
 * {@link ExitCodes#INVALID_INPUT}.
 */
public final class Inputs {

    private Inputs() {
    }

    public static String key(String key) throws CliException {
        try {
            Limits.checkKey(key);
            return key;
        } catch (InvalidRequestException e) {
            throw CliException.invalidInput(e.getMessage());
        }
    }

    public static String value(String value) throws CliException {
        try {
            Limits.checkValue(value);
            return value;
        } catch (InvalidRequestException e) {
            throw CliException.invalidInput(e.getMessage());
        }
    }

    /** An expected version: a whole number, 0 (the key must be absent) or more. */
    public static long version(String text) throws CliException {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw CliException.invalidInput("expected version '" + text + "' is not a whole number");
        }
        if (v < 0) {
            throw CliException.invalidInput("expected version " + v + " is negative; versions start at 0 (key absent)");
        }
        return v;
    }

    public static List<Mutation> batch(List<Mutation> mutations) throws CliException {
        try {
            Limits.checkBatch(mutations);
            return mutations;
        } catch (InvalidRequestException e) {
            throw CliException.invalidInput(e.getMessage());
        }
    }
}
