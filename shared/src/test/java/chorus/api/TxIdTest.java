package chorus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.TxId;
import org.junit.jupiter.api.Test;

class TxIdTest {

    @Test
    void printsAndParsesTheSameForm() {
        TxId id = new TxId(3, 2, 17);
        assertThat(id).hasToString("t3.2.17");
        assertThat(TxId.parse("t3.2.17")).isEqualTo(id);
    }

    @Test
    void rejectsMalformedIds() {
        assertThatThrownBy(() -> TxId.parse("3.2.17")).hasMessageContaining("not a transaction id");
        assertThatThrownBy(() -> TxId.parse("t0.1.1")).hasMessageContaining("invalid transaction id");
    }
}
