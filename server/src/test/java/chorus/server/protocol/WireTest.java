package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.AbortCause;
import chorus.api.model.View;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.rmi.SerialFilters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PREPARE requests and votes cross the network in their compact form and come back equal, through the API filter. */
class WireTest {

    private static byte[] write(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            in.setObjectInputFilter(SerialFilters.API);
            return in.readObject();
        }
    }

    private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        return read(write(o));
    }

    @Test
    void aPrepareRequestComesBackEqual() throws Exception {
        PrepareRequest r = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(2, 3, 41), new TxAge(1234L, 2, 40),
                List.of(new Mutation.Put("k/ü", "value\twith tab", Mutation.ANY_VERSION), new Mutation.Delete("gone", 7),
                        new Mutation.Put("empty", "", 0)));

        assertThat(roundTrip(r)).isEqualTo(r);
    }

    @Test
    void anExchangeAndItsReplyComeBackEqual() throws Exception {
        PrepareRequest r = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(2, 7, 9), new TxAge(123, 2, 9),
                List.of(Mutation.put("k", "v"), Mutation.delete("gone")));
        List<Decided> decisions = List.of(new Decided(new TxId(2, 7, 8), Decision.COMMIT), new Decided(new TxId(2, 7, 6), Decision.ABORT));
        Wire.Exchange back = (Wire.Exchange) roundTrip(new Wire.Exchange(decisions, List.of(r)));
        assertThat(back.decisions()).isEqualTo(decisions);
        assertThat(back.prepares()).containsExactly(r);

        Exchanged reply = new Exchanged(new DecisionAck(4, 100, 90), List.of(new Vote.Yes(Map.of("k", 3L)),
                new Vote.No(AbortCause.CONFLICT, "held")));
        assertThat(((Wire.ExchangeReply) roundTrip(new Wire.ExchangeReply(reply))).exchanged()).isEqualTo(reply);
    }

    @Test
    void votesComeBackEqual() throws Exception {
        Vote yes = new Vote.Yes(Map.of("a", 3L, "b", 1L));
        Vote no = new Vote.No(AbortCause.CONFLICT, "replica 2: key 'a' stayed locked");

        assertThat(roundTrip(yes)).isEqualTo(yes);
        assertThat(roundTrip(no)).isEqualTo(no);
        assertThat(roundTrip(new Vote.Yes(Map.of()))).isEqualTo(new Vote.Yes(Map.of()));
    }

    @Test
    void batchesOfPreparesVotesAndDecisionsComeBackEqual() throws Exception {
        PrepareRequest a = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(1, 2, 3), new TxAge(5L, 1, 3), List.of(Mutation.put("a", "1")));
        PrepareRequest b = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(1, 2, 4), new TxAge(6L, 1, 4), List.of(new Mutation.Delete("b", 2)));
        List<Vote> votes = List.of(new Vote.Yes(Map.of("a", 1L)), new Vote.No(AbortCause.VERSION_MISMATCH, "key 'b' is at 3"));
        List<Decided> decisions = List.of(new Decided(new TxId(1, 2, 3), Decision.COMMIT), new Decided(new TxId(4, 1, 9), Decision.ABORT));
        DecisionAck ack = new DecisionAck(7, 120, 118);

        assertThat(((Wire.PrepareBatch) roundTrip(new Wire.PrepareBatch(List.of(a, b)))).requests()).containsExactly(a, b);
        assertThat(((Wire.VoteBatch) roundTrip(new Wire.VoteBatch(votes))).votes()).isEqualTo(votes);
        assertThat(((Wire.DecisionBatch) roundTrip(new Wire.DecisionBatch(decisions))).decisions()).isEqualTo(decisions);
        assertThat(roundTrip(ack)).isEqualTo(ack);
    }

    @Test
    void aBatchOfDecisionsIsOneClassDescriptorNotOnePerRecord() throws Exception {
        List<Decided> decisions = List.of(new Decided(new TxId(1, 2, 3), Decision.COMMIT));
        String written = new String(write(new Wire.DecisionBatch(decisions)), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(written).contains("Wire$DecisionBatch").doesNotContain("ListForm").doesNotContain("Decided")
                .doesNotContain("TxId");
    }

    @Test
    void aForwardedGroupComesBackEqualWithOneClassDescriptor() throws Exception {
        List<Mutation> group = List.of(Mutation.put("a", "1"), new Mutation.Put("b", "2", 4), Mutation.delete("c"),
                new Mutation.Delete("d", 7));
        String written = new String(write(new Wire.Mutations(group)), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(((Wire.Mutations) roundTrip(new Wire.Mutations(group))).mutations()).isEqualTo(group);
        assertThat(written).contains("Wire$Mutations").doesNotContain("Mutation$Put").doesNotContain("Mutation$Delete")
                .doesNotContain("CollSer");
    }

    @Test
    void aBatchLargerThanAMessageMayCarryIsRefused() throws Exception {
        List<Decided> many = new java.util.ArrayList<>();
        for (int i = 0; i <= DecisionDelivery.MAX_DECISIONS_PER_MESSAGE; i++) {
            many.add(new Decided(new TxId(1, 1, i + 1), Decision.COMMIT));
        }

        assertThatThrownBy(() -> roundTrip(new Wire.DecisionBatch(many))).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("count " + many.size());
    }

    @Test
    void theCompactFormIsSmallerThanDefaultRecordSerialization() throws Exception {
        PrepareRequest r = new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(1, 1, 1), new TxAge(1L, 1, 1),
                List.of(Mutation.put("usertable/user123", "x".repeat(100))));

        assertThat(write(r).length).isLessThan(300);
    }

    @Test
    void aCountBeyondTheLimitsIsRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] b = write(new Vote.Yes(Map.of("a", 1L)));
        // The count of versions follows the kind byte; make it absurd.
        byte[] forged = b.clone();
        int at = indexOf(forged, new byte[] {1, 0, 0, 0, 1});
        forged[at + 1] = 0x7f;

        assertThatThrownBy(() -> read(forged)).isInstanceOf(InvalidObjectException.class).hasMessageContaining("count");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }
}
