package chorus.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Mutation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void acceptsOrdinaryKeysAndValues() {
        assertThatCode(() -> Limits.checkKey("user:42/é€😀")).doesNotThrowAnyException();
        assertThatCode(() -> Limits.checkValue("line one\nline two\ttab")).doesNotThrowAnyException();
        assertThatCode(() -> Limits.checkValue("")).doesNotThrowAnyException();
    }

    @Test
    void rejectsEmptyAndNullKeys() {
        assertThatThrownBy(() -> Limits.checkKey("")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("key is empty");
        assertThatThrownBy(() -> Limits.checkKey(null)).hasMessageContaining("key is missing");
        assertThatThrownBy(() -> Limits.checkValue(null)).hasMessageContaining("value is missing");
    }

    @Test
    void keyLimitCountsUtf8BytesNotChars() {
        assertThatCode(() -> Limits.checkKey("k".repeat(1024))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Limits.checkKey("k".repeat(1025))).hasMessageContaining("1025 bytes").hasMessageContaining("limit is 1024");
        // 342 three-byte characters are 1026 bytes although only 342 chars.
        assertThatThrownBy(() -> Limits.checkKey("€".repeat(342))).hasMessageContaining("1026 bytes");
    }

    @Test
    void valueLimitIsOneMebibyte() {
        assertThatCode(() -> Limits.checkValue("v".repeat(1024 * 1024))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Limits.checkValue("v".repeat(1024 * 1024 + 1))).hasMessageContaining("limit is 1048576 bytes");
        assertThatThrownBy(() -> Limits.checkValue("😀".repeat(262_145))).hasMessageContaining("1048580 bytes");
    }

    @Test
    void rejectsControlCharactersAndUnpairedSurrogates() {
        assertThatThrownBy(() -> Limits.checkKey("a\nb")).hasMessageContaining("control character U+000A at index 1");
        assertThatThrownBy(() -> Limits.checkValue("a\u0000b")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> Limits.checkKey("a\uD800")).hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> Limits.checkValue("\uDC00x")).hasMessageContaining("unpaired surrogate at index 0");
    }

    @Test
    void batchesRejectDuplicatesEmptinessAndBadVersions() {
        assertThatThrownBy(() -> Limits.checkBatch(List.of())).hasMessageContaining("batch is empty");
        assertThatThrownBy(() -> Limits.checkBatch(List.of(Mutation.put("a", "1"), Mutation.delete("a"))))
                .hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> Limits.checkBatch(List.of(new Mutation.Put("a", "1", -5))))
                .hasMessageContaining("expected version -5 is negative");
        List<Mutation> many = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_BATCH_MUTATIONS; i++) {
            many.add(Mutation.put("k" + i, "v"));
        }
        assertThatThrownBy(() -> Limits.checkBatch(many)).hasMessageContaining("limit is 10000");
        assertThatCode(() -> Limits.checkBatch(List.of(Mutation.put("a", "1"), new Mutation.Delete("b", 3))))
                .doesNotThrowAnyException();
    }
}
