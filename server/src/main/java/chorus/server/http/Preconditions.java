package chorus.server.http;

import chorus.api.InvalidRequestException;

/**
 * A write's HTTP preconditions as Chorus's version checks. The ETag of a key is its version in
 * quotes ("3"); {@code If-Match: "3"} is a conditional write (CAS) at version 3, {@code If-Match: *}
 * needs the key to exist, {@code If-None-Match: *} needs it absent (create only).
 */
sealed interface Preconditions {

    /** No precondition: the write applies to whatever version is current. */
    record None() implements Preconditions {
    }

    /** {@code If-Match: "N"}. */
    record AtVersion(long version) implements Preconditions {
    }

    /** {@code If-Match: *}. */
    record Exists() implements Preconditions {
    }

    /** {@code If-None-Match: *}. */
    record Absent() implements Preconditions {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    static Preconditions parse(String ifMatch, String ifNoneMatch) throws InvalidRequestException {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new InvalidRequestException("a write takes If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new InvalidRequestException("If-None-Match on a write must be * (create only), not '" + shorten(ifNoneMatch) + "'");
            }
            return new Absent();
        }
        if (ifMatch == null) {
            return new None();
        }
        String v = ifMatch.trim();
        if (v.equals("*")) {
            return new Exists();
        }
        return new AtVersion(version(v, "If-Match"));
    }

    /** One strong entity tag holding a version: "N" with N a whole number from 0. */
    static long version(String tag, String header) throws InvalidRequestException {
        String usage = header + " takes one version in quotes, as in " + header + ": \"3\"";
        if (tag.startsWith("W/")) {
            throw new InvalidRequestException(usage + "; a weak tag (W/) cannot guard a write");
        }
        if (tag.length() < 3 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
            throw new InvalidRequestException(usage + ", not '" + shorten(tag) + "'");
        }
        String digits = tag.substring(1, tag.length() - 1);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            throw new InvalidRequestException(usage + "; '" + shorten(tag) + "' is not a version (a whole number from 0)");
        }
        return Long.parseLong(digits);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
