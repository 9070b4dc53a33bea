package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.InDoubtTransaction;
import chorus.api.model.ReplicaDiagnostics;
import chorus.api.model.TxId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run's last check, on hand-made replica states: once every replica is back and the recovery
 * patience is over, nothing may stay locked, held, owed or in doubt anywhere.
 */
class RecoveryCheckTest {

    private static final InDoubtTransaction IN_DOUBT =
            new InDoubtTransaction(new TxId(1, 1, 7), 1, List.of("k0"), "put", 0, "coordinator unreachable");

    private static ReplicaDiagnostics diagnostics(int lockedKeys, int transactions, int undeliveredDecisions) {
        return new ReplicaDiagnostics(3, lockedKeys, transactions, undeliveredDecisions, true, List.of());
    }

    @Test
    void aReplicaWithNothingLockedHeldOwedOrInDoubtHasNothingLeft() {
        assertThat(ChaosRunner.leftOver(3, diagnostics(0, 0, 0), List.of())).isEmpty();
    }

    @Test
    void aKeyStillLockedIsLeftOver() {
        assertThat(ChaosRunner.leftOver(3, diagnostics(1, 0, 0), List.of()))
                .hasValueSatisfying(s -> assertThat(s).startsWith("replica 3: ").contains("1 keys locked"));
    }

    @Test
    void aTransactionStillHeldByAParticipantIsLeftOver() {
        assertThat(ChaosRunner.leftOver(3, diagnostics(0, 1, 0), List.of()))
                .hasValueSatisfying(s -> assertThat(s).startsWith("replica 3: ").contains("1 transactions held"));
    }

    @Test
    void aDecisionNotYetDeliveredIsLeftOver() {
        assertThat(ChaosRunner.leftOver(3, diagnostics(0, 0, 1), List.of()))
                .hasValueSatisfying(s -> assertThat(s).startsWith("replica 3: ").contains("1 decisions undelivered"));
    }

    @Test
    void aTransactionInDoubtIsLeftOverWithItsKeysAndLastAttempt() {
        assertThat(ChaosRunner.leftOver(3, diagnostics(0, 0, 0), List.of(IN_DOUBT)))
                .hasValueSatisfying(s -> assertThat(s).startsWith("replica 3: ").endsWith("in doubt: [t1.1.7 [k0] (coordinator unreachable)]"));
    }

    @Test
    void whatIsLeftAfterThePatienceIsReportedAsLeftInDoubtOrLocked() {
        Anomaly a = ChaosRunner.leftInDoubtOrLocked(Duration.ofSeconds(90), List.of("replica 3: 0 transactions held, 1 keys locked"));
        assertThat(a.check()).isEqualTo("left in doubt or locked");
        assertThat(a.message()).isEqualTo("after 90 s with every replica back");
        assertThat(a.witness()).containsExactly("replica 3: 0 transactions held, 1 keys locked");
    }
}
