package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.Mutation;
import chorus.api.model.View;
import chorus.api.model.TxId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LOCK carries keys only; the lock primary still applies the PREPARE's values. */
class LockWithoutValuesTest {

    private final MemoryCluster cluster = new MemoryCluster(3);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aLockRequestKeepsKeysKindsAndVersionsButNoValues() {
        PrepareRequest r = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(2, 1, 1), new TxAge(1, 2, 1),
                List.of(new Mutation.Put("a", "value", 3), Mutation.delete("b")));

        assertThat(r.forLocking().mutations()).containsExactly(new Mutation.Put("a", "", 3), Mutation.delete("b"));
        assertThat(r.forLocking().keys()).isEqualTo(r.keys());
    }

    @Test
    void thePrimaryAppliesTheValuesOfAWriteCoordinatedElsewhere() throws Exception {
        cluster.node(2).execute(List.of(Mutation.put("k", "v1"), Mutation.put("j", "w1")));

        for (int id = 1; id <= 3; id++) {
            assertThat(cluster.node(id).get("k").value()).as("replica " + id).isEqualTo("v1");
            assertThat(cluster.node(id).get("j").value()).as("replica " + id).isEqualTo("w1");
        }
    }
}
