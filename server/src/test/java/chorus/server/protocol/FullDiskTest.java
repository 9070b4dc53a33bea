package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.FaultSpec;
import chorus.api.model.EventType;
import chorus.api.model.View;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica whose writes fail (a full disk) over five in-memory replicas: who is named, and what it holds. */
class FullDiskTest {

    private static final String NO_SPACE = "disk full: synced write failed: No space left on device";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final MemoryCluster cluster = new MemoryCluster(5);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aReplicaThatCannotRecordThePrepareVotesNoNamingItsDisk() throws Exception {
        cluster.store(3).failWrites = NO_SPACE;
        assertThatThrownBy(() -> cluster.node(1).execute(List.of(Mutation.put("k", "v"))))
                .isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("replica 3 could not record the prepare: " + NO_SPACE);
        for (int r = 1; r <= 5; r++) {
            assertThat(cluster.node(r).lockedKeys()).as("locks at replica %d", r).isZero();
        }
        cluster.store(3).failWrites = null;
        assertThat(cluster.node(1).execute(List.of(Mutation.put("k", "v"))).version()).isEqualTo(1);
    }

    @Test
    void aCoordinatorWhoseDiskFillsAfterEveryPrepareTellsNobodyAnAbortItCannotKeepAndCommitsOnceItCan() throws Exception {
        // Every prepare is durable, the coordinator's own included; then its disk refuses the COMMIT
        // record, and so the abort it turns to. An abort it cannot keep would be overturned by its
        // own prepare after a restart: nobody hears of it, the client hears the outcome is unknown.
        cluster.node(1).faults().allow();
        cluster.node(1).faults().onCrash(() -> cluster.store(1).failWrites = NO_SPACE);
        cluster.node(1).injectFault(FaultSpec.AtPoint.crash("coordinator-before-commit-record"));
        assertThatThrownBy(() -> cluster.node(1).execute(List.of(Mutation.put("k", "v"))))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("coordinator 1 could not make its abort of")
                .hasMessageContaining("its own abort failed: " + NO_SPACE);
        for (int r = 2; r <= 5; r++) {
            assertThat(cluster.store(r).preparedRecords()).as("prepared at replica %d", r).singleElement();
        }

        // Once it can write again it settles its own transaction by asking every member: all hold it
        // prepared, so it committed.
        cluster.store(1).failWrites = null;
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(cluster.node(r).get("k").value()).as("replica %d", r).isEqualTo("v");
                assertThat(cluster.node(r).inDoubt()).as("in doubt at replica %d", r).isEmpty();
            }
        });
    }

    @Test
    void anOutcomeLearnedButNotAppliedHereIsThisReplicasFailureNotThePeersThatAnswered() throws Exception {
        // Replica 5 voted YES for a transaction its coordinator never decided (presumed abort), and
        // then its disk filled: it learns ABORTED but cannot apply it.
        TxId tx = new TxId(1, 1, 700);
        assertThat(cluster.node(5).prepare(new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), tx, new TxAge(System.currentTimeMillis(), 1, 700),
                List.of(Mutation.put("k", "never"))))).isInstanceOf(Vote.Yes.class);
        cluster.store(5).failWrites = NO_SPACE;

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster.node(5).inDoubt()).singleElement()
                .satisfies(t -> assertThat(t.lastAttempt()).contains("answered ABORTED", ", but replica 5 could not apply it: " + NO_SPACE)));
        assertThat(cluster.node(5).events(0, 10_000).events())
                .filteredOn(e -> e.type() == EventType.IN_DOUBT)
                .as("nobody was unreachable: the failure was replica 5's own").isEmpty();

        cluster.store(5).failWrites = null;
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(cluster.node(5).inDoubt()).isEmpty();
            assertThat(cluster.node(5).lockedKeys()).isZero();
        });
        assertThat(cluster.store(5).outcome(tx)).isPresent();
    }
}
