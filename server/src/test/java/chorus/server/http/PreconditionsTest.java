package chorus.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreconditionsTest {

    @Test
    void headersBecomeVersionChecks() throws Exception {
        assertThat(Preconditions.parse(null, null)).isEqualTo(new Preconditions.None());
        assertThat(Preconditions.parse("\"7\"", null)).isEqualTo(new Preconditions.AtVersion(7));
        assertThat(Preconditions.parse(" \"0\" ", null)).isEqualTo(new Preconditions.AtVersion(0));
        assertThat(Preconditions.parse("*", null)).isEqualTo(new Preconditions.Exists());
        assertThat(Preconditions.parse(null, "*")).isEqualTo(new Preconditions.Absent());
        assertThat(Preconditions.etag(12)).isEqualTo("\"12\"");
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> Preconditions.parse("7", null)).hasMessage("If-Match takes one version in quotes, as in If-Match: \"3\", not '7'");
        assertThatThrownBy(() -> Preconditions.parse("\"-1\"", null)).hasMessageContaining("is not a version");
        assertThatThrownBy(() -> Preconditions.parse("\"1\", \"2\"", null)).hasMessageContaining("is not a version");
        assertThatThrownBy(() -> Preconditions.parse("\"99999999999999999999\"", null)).hasMessageContaining("is not a version");
        assertThatThrownBy(() -> Preconditions.parse("W/\"1\"", null)).hasMessageContaining("a weak tag (W/) cannot guard a write");
        assertThatThrownBy(() -> Preconditions.parse(null, "\"1\"")).hasMessage("If-None-Match on a write must be * (create only), not '\"1\"'");
        assertThatThrownBy(() -> Preconditions.parse("*", "*")).hasMessage("a write takes If-Match or If-None-Match, not both");
    }
}
