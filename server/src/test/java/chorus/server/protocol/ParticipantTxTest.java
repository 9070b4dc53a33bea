package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a participant's transaction counts as in doubt: the one test behind both the in-doubt list and its count. */
class ParticipantTxTest {

    private static final Duration PREPARED_TIMEOUT = Duration.ofMillis(3_000);

    private static ParticipantTx preparedAt(long millis) {
        ParticipantTx ptx = new ParticipantTx(new TxId(1, 1, 7), new TxAge(millis, 1, 7), List.of(Mutation.put("k", "v")),
                View.initial(List.of(1, 2, 3, 4, 5)));
        synchronized (ptx) {
            ptx.state = ParticipantTx.State.PREPARED;
            ptx.preparedAtMillis = millis;
        }
        return ptx;
    }

    @Test
    void aPreparedTransactionIsInDoubtOncePastThePreparedTimeoutBeforeTheSweepMarksIt() {
        ParticipantTx ptx = preparedAt(10_000);

        synchronized (ptx) {
            assertThat(ptx.inDoubt(10_000 + PREPARED_TIMEOUT.toMillis(), PREPARED_TIMEOUT)).isFalse();
            assertThat(ptx.inDoubt(10_001 + PREPARED_TIMEOUT.toMillis(), PREPARED_TIMEOUT)).isTrue();
        }
    }

    @Test
    void aTransactionMarkedInDoubtIsInDoubtAtOnceAndOneNotYetVotedOrDoneNever() {
        ParticipantTx ptx = preparedAt(10_000);

        synchronized (ptx) {
            ptx.state = ParticipantTx.State.IN_DOUBT;
            assertThat(ptx.inDoubt(10_001, PREPARED_TIMEOUT)).isTrue();
            for (ParticipantTx.State s : List.of(ParticipantTx.State.LOCKED, ParticipantTx.State.PREPARING, ParticipantTx.State.DONE)) {
                ptx.state = s;
                assertThat(ptx.inDoubt(10_000 + 10 * PREPARED_TIMEOUT.toMillis(), PREPARED_TIMEOUT)).as(s.name()).isFalse();
            }
        }
    }
}
