package chorus.cli;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.model.Mutation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /**
     * The value of {@code put} or {@code cas}: the VALUE argument or the contents of
     * {@code --value-file} ({@code -}: standard input), exactly one of them, checked like any value.
     */
    public static String value(String command, String argument, String valueFile, InputStream stdin) throws CliException {
        if (argument != null && valueFile != null) {
            throw CliException.usage("VALUE and --value-file exclude each other (see: kv " + command + " --help)");
        }
        if (argument == null && valueFile == null) {
            throw CliException.usage("Missing required parameter: 'VALUE' or --value-file FILE (see: kv " + command + " --help)");
        }
        return value(argument != null ? argument : readValue(valueFile, stdin));
    }

    /**
     * The bytes of {@code file} ({@code -}: {@code stdin}) as they are, decoded as UTF-8. Reading stops
     * one byte past {@link Limits#MAX_VALUE_BYTES}, so that a huge file or an endless pipe is refused
     * without being read whole.
     */
    static String readValue(String file, InputStream stdin) throws CliException {
        boolean fromStdin = file.equals("-");
        String what = fromStdin ? "value from stdin" : "value file " + file;
        byte[] bytes;
        long size = -1;
        try {
            if (fromStdin) {
                bytes = stdin.readNBytes(Limits.MAX_VALUE_BYTES + 1);
            } else {
                Path path = Path.of(file);
                try (InputStream in = Files.newInputStream(path)) {
                    bytes = in.readNBytes(Limits.MAX_VALUE_BYTES + 1);
                }
                if (bytes.length > Limits.MAX_VALUE_BYTES && Files.isRegularFile(path)) {
                    size = Files.size(path);
                }
            }
        } catch (NoSuchFileException e) {
            throw CliException.invalidInput(what + " does not exist");
        } catch (IOException | InvalidPathException e) {
            throw CliException.invalidInput("cannot read " + what + ": " + e.getMessage());
        }
        if (bytes.length > Limits.MAX_VALUE_BYTES) {
            throw CliException.invalidInput(what + " is " + (size >= 0 ? size : "more than " + Limits.MAX_VALUE_BYTES)
                    + " bytes; the limit is " + Limits.MAX_VALUE_BYTES + " bytes (1 MiB)");
        }
        return utf8(bytes, what);
    }

    /**
     * Decodes {@code bytes} as UTF-8 and refuses malformed input: a lenient decoder would put
     * U+FFFD in place of the bad bytes and store a value other than the one given.
     */
    static String utf8(byte[] bytes, String what) throws CliException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw CliException.invalidInput(what + " is not valid UTF-8: malformed byte 0x"
                    + String.format("%02X", bytes[in.position()] & 0xff) + " at byte offset " + in.position());
        }
        if (!result.isUnderflow()) {
            // One byte of UTF-8 never makes more than one char: the buffer cannot overflow.
            throw new IllegalStateException("UTF-8 decoding stopped with " + result);
        }
        return out.flip().toString();
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
