package chorus.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Refuses command-line arguments that the JVM could not decode.
 *
 * <p>The Java launcher turns each argv byte string into a {@code String} with the locale's charset
 * ({@code sun.jnu.encoding}) and silently replaces bytes it cannot decode with U+FFFD: {@code kv put
 * k $'v\xff'} would store {@code "v\uFFFD"}, a value other than the one given, and no later check
 * could tell. So an argument holding U+FFFD is refused, unless the argument's raw bytes show that
 * U+FFFD was typed as such (a valid encoding of it).
 *
 * <p>The raw bytes come from {@code /proc/self/cmdline} (Linux): the process's argv, NUL-terminated,
 * whose last {@code args.length} entries are the main arguments (JVM options and the class name come
 * first; {@code JDK_JAVA_OPTIONS} never appears there). They are trusted only if each of them,
 * decoded as the launcher does, gives exactly the argument Java handed to {@code main}; elsewhere
 * (another OS, {@code java @argfile} holding the arguments, an in-process run) they are not used, and
 * every U+FFFD is refused. That may refuse a U+FFFD typed on purpose, but never lets a mangled
 * argument through.
 */
final class ArgumentText {

    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private ArgumentText() {
    }

    /** The charset the launcher decoded the arguments with. */
    static Charset launcherCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** The bytes of this process's main arguments, if {@code /proc/self/cmdline} shows them faithfully. */
    static Optional<List<byte[]>> rawArguments(String[] args) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(CMDLINE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
        List<byte[]> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                all.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (all.size() < args.length) {
            return Optional.empty();
        }
        List<byte[]> tail = all.subList(all.size() - args.length, all.size());
        Charset charset = launcherCharset();
        for (int i = 0; i < args.length; i++) {
            if (!new String(tail.get(i), charset).equals(args[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(tail));
    }

    /**
     * Throws an {@link ExitCodes#INVALID_INPUT} failure for the first argument that holds U+FFFD
     * not typed as such; {@code raw} as from {@link #rawArguments}.
     */
    static void check(String[] args, Optional<List<byte[]>> raw) throws CliException {
        check(args, raw, launcherCharset());
    }

    static void check(String[] args, Optional<List<byte[]>> raw, Charset charset) throws CliException {
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf('\uFFFD') < 0 || (raw.isPresent() && decodes(raw.get().get(i), charset))) {
                continue;
            }
            String position = "argument " + (i + 1);
            if (charset.equals(StandardCharsets.UTF_8)) {
                throw CliException.invalidInput(position + " is not valid UTF-8; kv refuses it rather than store U+FFFD"
                        + " in place of the bytes");
            }
            throw CliException.invalidInput(position + " is not valid in this locale's charset " + charset.name()
                    + "; kv refuses it rather than store U+FFFD in place of the bytes (run kv under a UTF-8 locale,"
                    + " e.g. LC_ALL=C.UTF-8)");
        }
    }

    private static boolean decodes(byte[] bytes, Charset charset) {
        try {
            charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
