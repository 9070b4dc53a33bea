package chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.Mutation;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchParserTest {

    @Test
    void parsesPutsDeletesAndConditionalsInOrder() throws CliException {
        List<Mutation> m = BatchParser.parse(List.of(
                "put", "a", "1", "delete", "b", "cas", "c", "4", "x y", "cas-delete", "d", "0"));
        assertThat(m).containsExactly(
                Mutation.put("a", "1"),
                Mutation.delete("b"),
                new Mutation.Put("c", "x y", 4),
                new Mutation.Delete("d", 0));
    }

    @Test
    void aValueMayLookLikeAnOperation() throws CliException {
        assertThat(BatchParser.parse(List.of("put", "a", "delete"))).containsExactly(Mutation.put("a", "delete"));
    }

    @Test
    void rejectsAnOperationWithTooFewWords() {
        assertThatThrownBy(() -> BatchParser.parse(List.of("delete", "a", "put", "b")))
                .isInstanceOf(CliException.class)
                .hasMessage("batch: 'put' at word 3 needs KEY VALUE but only 1 word follows")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThatThrownBy(() -> BatchParser.parse(List.of("cas", "a")))
                .hasMessageContaining("needs KEY VERSION VALUE but only 1 word follows");
        assertThatThrownBy(() -> BatchParser.parse(List.of("delete")))
                .hasMessageContaining("needs KEY but nothing follows");
    }

    @Test
    void rejectsAnUnknownOperationNamingItsPosition() {
        assertThatThrownBy(() -> BatchParser.parse(List.of("put", "a", "1", "remove", "b")))
                .hasMessageStartingWith("batch: word 4 'remove' is not an operation; expected put KEY VALUE");
    }

    @Test
    void rejectsBadVersionsKeysAndDuplicates() {
        assertThatThrownBy(() -> BatchParser.parse(List.of("cas", "a", "v1", "x")))
                .hasMessage("expected version 'v1' is not a whole number");
        assertThatThrownBy(() -> BatchParser.parse(List.of("cas-delete", "a", "-3")))
                .hasMessageContaining("expected version -3 is negative");
        assertThatThrownBy(() -> BatchParser.parse(List.of("put", "", "x")))
                .hasMessageContaining("key is empty");
        assertThatThrownBy(() -> BatchParser.parse(List.of("put", "a", "1", "delete", "a")))
                .hasMessageContaining("key 'a' appears twice in one batch");
    }

    @Test
    void rejectsAnEmptyBatch() {
        assertThatThrownBy(() -> BatchParser.parse(List.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("batch is empty");
    }
}
