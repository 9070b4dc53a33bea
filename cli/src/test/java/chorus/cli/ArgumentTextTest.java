package chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentTextTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void aReplacementCharacterMadeFromBadBytesIsRefusedNamingTheArgument() {
        String[] args = {"put", "v\uFFFD"};
        Optional<List<byte[]>> raw = Optional.of(List.of("put".getBytes(StandardCharsets.US_ASCII), bytes('v', 0xFF)));
        CliException e = catchThrowableOfType(() -> ArgumentText.check(args, raw, StandardCharsets.UTF_8), CliException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(e.getMessage()).isEqualTo("argument 2 is not valid UTF-8; kv refuses it rather than store U+FFFD in place of the bytes");
    }

    @Test
    void aReplacementCharacterTypedAsValidUtf8IsKept() {
        String[] args = {"v\uFFFD"};
        Optional<List<byte[]>> raw = Optional.of(List.of(bytes('v', 0xEF, 0xBF, 0xBD)));
        assertThatCode(() -> ArgumentText.check(args, raw, StandardCharsets.UTF_8)).doesNotThrowAnyException();
    }

    @Test
    void withoutTheRawBytesEveryReplacementCharacterIsRefused() {
        assertThatCode(() -> ArgumentText.check(new String[] {"plain", "caf\u00e9"}, Optional.empty(), StandardCharsets.UTF_8))
                .doesNotThrowAnyException();
        assertThat(catchThrowableOfType(() -> ArgumentText.check(new String[] {"\uFFFD"}, Optional.empty(), StandardCharsets.UTF_8),
                CliException.class).exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void underANonUtf8LocaleTheMessageSaysSo() {
        CliException e = catchThrowableOfType(() -> ArgumentText.check(new String[] {"\uFFFD\uFFFD"},
                Optional.of(List.of(bytes(0xC3, 0xA9))), StandardCharsets.US_ASCII), CliException.class);
        assertThat(e.getMessage()).startsWith("argument 1 is not valid in this locale's charset US-ASCII").contains("LC_ALL=C.UTF-8");
    }

    @Test
    void rawBytesThatDoNotMatchTheArgumentsAreNotUsed() {
        // This JVM's command line ends with the test runner's arguments, not with these.
        assertThat(ArgumentText.rawArguments(new String[] {"put", "k", "v\uFFFD"})).isEmpty();
    }
}
