package chorus.server.http;

import chorus.api.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A key from the path of a request: everything after the route's prefix, percent-decoded as UTF-8.
 * A slash is part of the key, written plainly or as %2F; '+' is a plus, not a space (that rule is
 * for query strings only). Malformed escapes and bytes that are not UTF-8 are refused, never guessed.
 */
final class KeyPath {

    private KeyPath() {
    }

    static String decode(String rawPathTail) throws InvalidRequestException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPathTail.length());
        for (int i = 0; i < rawPathTail.length(); i++) {
            char c = rawPathTail.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPathTail.length()) {
                    throw new InvalidRequestException("key has an incomplete escape '" + rawPathTail.substring(i)
                            + "' at character " + i + "; write %XX with two hex digits");
                }
                int hi = Character.digit(rawPathTail.charAt(i + 1), 16);
                int lo = Character.digit(rawPathTail.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidRequestException("key has a malformed escape '" + rawPathTail.substring(i, i + 3)
                            + "' at character " + i + "; write %XX with two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return Utf8.decode(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("key is not valid UTF-8 once its %XX escapes are decoded");
        }
    }

    /** The path form of a key: every byte outside the unreserved set and '/' escaped. */
    static String encode(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                    || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
