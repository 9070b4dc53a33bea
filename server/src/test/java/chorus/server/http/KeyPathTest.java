package chorus.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.InvalidRequestException;
import org.junit.jupiter.api.Test;

class KeyPathTest {

    @Test
    void decodesEscapesAsUtf8AndKeepsSlashesAndPluses() throws Exception {
        assertThat(KeyPath.decode("lab/run%201/t%C3%A9mp+1")).isEqualTo("lab/run 1/t\u00e9mp+1");
        assertThat(KeyPath.decode("a%2Fb%2fc")).isEqualTo("a/b/c");
        assertThat(KeyPath.decode("%E2%98%83")).isEqualTo("\u2603");
        assertThat(KeyPath.decode("")).isEmpty();
    }

    @Test
    void refusesBadEscapesAndBytesThatAreNotUtf8() {
        assertThatThrownBy(() -> KeyPath.decode("bad%ZZ")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("key has a malformed escape '%ZZ' at character 3; write %XX with two hex digits");
        assertThatThrownBy(() -> KeyPath.decode("cut%4")).hasMessage("key has an incomplete escape '%4' at character 3; write %XX with two hex digits");
        assertThatThrownBy(() -> KeyPath.decode("end%")).hasMessageContaining("incomplete escape '%'");
        assertThatThrownBy(() -> KeyPath.decode("caf%E9")).hasMessage("key is not valid UTF-8 once its %XX escapes are decoded");
    }

    @Test
    void encodingRoundTrips() throws Exception {
        for (String key : new String[] {"plain", "with space", "lab/run 1/t\u00e9mp+1", "50%", "q?x#y", "\u2603/\ud83d\ude00"}) {
            assertThat(KeyPath.decode(KeyPath.encode(key))).isEqualTo(key);
        }
        assertThat(KeyPath.encode("a b/c")).isEqualTo("a%20b/c");
    }
}
