package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.InvalidRequestException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.AbortCause;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatedWritesIT {

    @Replicas(5)
    static LocalCluster cluster;

    @Test
    void aWriteOnAnyReplicaIsReadBackFromAllFive() throws Exception {
        for (int coordinator = 1; coordinator <= 5; coordinator++) {
            String key = "greeting-" + coordinator;
            WriteResult w = cluster.connection(coordinator).kv().put(key, "hello from " + coordinator);
            assertThat(w.coordinator()).isEqualTo(coordinator);
            assertThat(w.txId().coordinator()).isEqualTo(coordinator);
            assertThat(w.version()).isEqualTo(1);
            for (int reader = 1; reader <= 5; reader++) {
                ReadResult r = cluster.connection(reader).kv().get(key);
                assertThat(r.found()).isTrue();
                assertThat(r.value()).isEqualTo("hello from " + coordinator);
                assertThat(r.version()).isEqualTo(1);
                assertThat(r.replica()).isEqualTo(reader);
            }
        }
    }

    @Test
    void versionsCountCommittedWritesAndSurviveDeletes() throws Exception {
        var kv = cluster.connection(2).kv();
        assertThat(kv.put("counted", "a").version()).isEqualTo(1);
        assertThat(kv.put("counted", "b").version()).isEqualTo(2);
        assertThat(kv.delete("counted").version()).isEqualTo(3);
        ReadResult gone = cluster.connection(4).kv().get("counted");
        assertThat(gone.found()).isFalse();
        assertThat(gone.version()).isEqualTo(3);
        assertThat(kv.put("counted", "c").version()).isEqualTo(4);
    }

    @Test
    void conditionalWritesCheckTheVersionOnEveryReplica() throws Exception {
        var kv = cluster.connection(3).kv();
        kv.put("cas", "v1");
        WriteResult ok = kv.execute(List.of(new Mutation.Put("cas", "v2", 1)));
        assertThat(ok.version()).isEqualTo(2);
        assertThatThrownBy(() -> kv.execute(List.of(new Mutation.Put("cas", "v3", 1))))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                    assertThat(e.abortCause()).isEqualTo(AbortCause.VERSION_MISMATCH);
                    assertThat(e.reason()).contains("key 'cas' is at version 2, expected 1");
                });
        assertThat(cluster.connection(5).kv().get("cas").value()).isEqualTo("v2");
        // Version 0 means "absent": create-if-absent.
        assertThat(kv.execute(List.of(new Mutation.Put("fresh", "x", 0))).version()).isEqualTo(1);
    }


    @Test
    void aBatchIsAllOrNothing() throws Exception {
        var kv = cluster.connection(1).kv();
        kv.put("b1", "old1");
        kv.put("b2", "old2");
        assertThatThrownBy(() -> kv.execute(List.of(Mutation.put("b1", "new1"), new Mutation.Put("b2", "new2", 99),
                Mutation.put("b3", "new3")))).isInstanceOf(TransactionAbortedException.class);
        for (int r = 1; r <= 5; r++) {
            var reader = cluster.connection(r).kv();
            assertThat(reader.get("b1").value()).isEqualTo("old1");
            assertThat(reader.get("b3").found()).isFalse();
        }
        WriteResult w = kv.execute(List.of(Mutation.put("b1", "new1"), Mutation.delete("b2"), Mutation.put("b3", "new3")));
        assertThat(w.versions()).containsEntry("b1", 2L).containsEntry("b2", 2L).containsEntry("b3", 1L);
        for (int r = 1; r <= 5; r++) {
            var reader = cluster.connection(r).kv();
            assertThat(reader.get("b1").value()).isEqualTo("new1");
            assertThat(reader.get("b2").found()).isFalse();
            assertThat(reader.get("b3").value()).isEqualTo("new3");
        }
    }

    @Test
    void badInputIsRejectedWithAClearErrorAndChangesNothing() throws Exception {
        var kv = cluster.connection(2).kv();
        long before = cluster.status(2).keyCount();
        assertThatThrownBy(() -> kv.put("", "v")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("key is empty");
        assertThatThrownBy(() -> kv.put("k".repeat(1025), "v")).hasMessageContaining("limit is 1024");
        assertThatThrownBy(() -> kv.put("big", "v".repeat(1024 * 1024 + 1))).hasMessageContaining("limit is 1048576");
        assertThatThrownBy(() -> kv.put(null, "v")).hasMessageContaining("key is missing");
        assertThatThrownBy(() -> kv.put("nul", null)).hasMessageContaining("value is missing");
        assertThatThrownBy(() -> kv.put("ctl\u0001", "v")).hasMessageContaining("control character U+0001");
        assertThatThrownBy(() -> kv.put("half\uD800", "v")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> kv.get("")).hasMessageContaining("key is empty");
        assertThatThrownBy(() -> kv.execute(List.of())).hasMessageContaining("batch is empty");
        assertThatThrownBy(() -> kv.execute(List.of(Mutation.put("d", "1"), Mutation.put("d", "2")))).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> kv.execute(List.of(new Mutation.Put("neg", "1", -7)))).hasMessageContaining("negative");
        assertThatThrownBy(() -> cluster.connection(2).admin().contents("", 0)).hasMessageContaining("page size 0");
        assertThatThrownBy(() -> cluster.connection(2).admin().events(-1, 10)).hasMessageContaining("negative");
        assertThat(cluster.status(2).keyCount()).isEqualTo(before);
        assertThat(cluster.connection(3).kv().get("big").found()).isFalse();
    }
}
