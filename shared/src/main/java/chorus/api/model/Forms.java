package chorus.api.model;

import java.io.InvalidObjectException;

/** Checks shared by the compact serial forms of this package. */
final class Forms {

    private Forms() {
    }

    static String string(Object o, String what) throws InvalidObjectException {
        if (!(o instanceof String s)) {
            throw new InvalidObjectException(what + " is not a string");
        }
        return s;
    }

    static String stringOrNull(Object o, String what) throws InvalidObjectException {
        return o == null ? null : string(o, what);
    }

    static int count(int n, int max, String what) throws InvalidObjectException {
        if (n < 0 || n > max) {
            throw new InvalidObjectException(what + " count " + n + " is outside 0.." + max);
        }
        return n;
    }
}
