package chorus.bench.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

class RecordsTest {

    private static Map<String, ByteIterator> fields(String... kv) {
        Map<String, ByteIterator> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new StringByteIterator(kv[i + 1]));
        }
        return m;
    }

    @Test
    void decodeReturnsWhatEncodeWroteEvenWithSeparatorsInValues() {
        String record = Records.encode(fields("field0", "a:b:12:c", "field1", "", "f:2", "x"));

        assertThat(Records.decode(record, null)).containsExactly(
                Map.entry("f:2", "x"), Map.entry("field0", "a:b:12:c"), Map.entry("field1", ""));
    }

    @Test
    void decodeKeepsOnlyTheWantedFields() {
        String record = Records.encode(fields("field0", "a", "field1", "b"));

        assertThat(Records.decode(record, Set.of("field1"))).containsExactly(Map.entry("field1", "b"));
    }

    @Test
    void delIsWrittenAsAQuestionMarkKeepingTheLength() {
        String record = Records.encode(fields("field0", "a\u007fb"));

        assertThat(Records.decode(record, null)).containsExactly(Map.entry("field0", "a?b"));
    }

    @Test
    void aStringThatIsNotARecordIsRefused() {
        assertThatThrownBy(() -> Records.decode("hello", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Records.decode("6:field09:abc", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
