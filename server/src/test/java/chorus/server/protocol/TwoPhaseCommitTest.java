package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.ReadTimeoutException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.AbortCause;
import chorus.api.model.View;
import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReadResult;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The coordinator and participant state machines across five in-memory replicas: no RMI, no disk. */
class TwoPhaseCommitTest {

    private final MemoryCluster cluster = new MemoryCluster(5);

    @AfterEach
    void close() {
        cluster.close();
    }

    private WriteResult put(int coordinator, String key, String value) throws Exception {
        return cluster.node(coordinator).execute(List.of(Mutation.put(key, value)));
    }

    /** A put that every replica has acknowledged (the answer comes at the commit point, before that). */
    private WriteResult putEverywhere(int coordinator, String key, String value) throws Exception {
        WriteResult w = put(coordinator, key, value);
        await().atMost(patience()).untilAsserted(() -> assertThat(events(coordinator)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.ALL_ACKNOWLEDGED);
            assertThat(e.txId()).isEqualTo(w.txId());
        }));
        return w;
    }

    private ReadResult get(int replica, String key) throws Exception {
        return cluster.node(replica).get(key);
    }

    private List<ProtocolEvent> events(int replica) throws Exception {
        return cluster.node(replica).events(0, 10_000).events();
    }

    /** No decision reaches any replica until {@link #deliverEveryDecision}: the coordinator alone knows it. */
    private void loseEveryDecision() {
        for (int r = 1; r <= 5; r++) {
            cluster.network.loseDecisions(r);
        }
    }

    private void deliverEveryDecision() {
        for (int r = 1; r <= 5; r++) {
            cluster.network.deliverDecisions(r);
        }
    }

    private static Duration patience() {
        return Duration.ofSeconds(10);
    }

    @Test
    void commitWaitsForEveryYesAndAppliesEverywhere() throws Exception {
        WriteResult w = put(2, "k", "v");
        assertThat(w.version()).isEqualTo(1);
        assertThat(w.attempts()).isEqualTo(1);
        for (int r = 1; r <= 5; r++) {
            assertThat(get(r, "k").value()).isEqualTo("v");
            assertThat(cluster.node(r).status().inFlight()).isZero();
        }
        // The decision record is forgotten once every replica acknowledged and synced its apply.
        await().atMost(patience()).untilAsserted(() -> assertThat(cluster.store(2).commitRecords()).isEmpty());
        // Every other replica durably prepared, applied, then synced the apply (after its
        // incarnation). The coordinator synced only its decision: that one synced write also
        // covers its own prepare before it, and the record outlives its own apply.
        assertThat(cluster.store(3).syncedWrites).isEqualTo(1 + 2);
        assertThat(cluster.store(2).syncedWrites).isEqualTo(1 + 1);
        assertThat(events(2)).extracting(ProtocolEvent::type).contains(EventType.STARTED, EventType.PREPARED,
                EventType.COMMITTED, EventType.ACKNOWLEDGED);
    }

    @Test
    void versionsCountEveryWriteOfAKeyThroughPutsDeletesAndConditionalWritesFromEveryCoordinator() throws Exception {
        // After its first PREPARE of a key, a replica answers the version question from memory
        // (KnownState): every apply must keep that memory exact, or versions stop counting and
        // MemoryStore refuses an apply whose claim of presence is wrong.
        assertThat(put(1, "k", "a").version()).isEqualTo(1);
        assertThat(cluster.node(2).execute(List.of(Mutation.delete("k"))).version()).isEqualTo(2);
        assertThat(put(3, "k", "b").version()).isEqualTo(3);
        assertThat(cluster.node(4).execute(List.of(new Mutation.Put("k", "c", 3))).version()).isEqualTo(4);
        assertThatThrownBy(() -> cluster.node(5).execute(List.of(new Mutation.Put("k", "d", 3))))
                .isInstanceOfSatisfying(TransactionAbortedException.class,
                        e -> assertThat(e.abortCause()).isEqualTo(AbortCause.VERSION_MISMATCH))
                .hasMessageContaining("is at version 4, expected 3");
        for (int r = 1; r <= 5; r++) {
            ReadResult k = get(r, "k");
            assertThat(k.value()).as("replica " + r).isEqualTo("c");
            assertThat(k.version()).as("replica " + r).isEqualTo(4);
        }
    }

    @Test
    void aCommitRecordOutlivesAnApplyThatIsNotSyncedYetSoAPowerLossThereLosesNothing() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        cluster.store(3).syncGate = disk;
        WriteResult w = put(2, "k", "v");
        assertThat(get(3, "k").value()).isEqualTo("v");
        // Replica 3 acknowledged an apply it has not synced: the COMMIT record stays meanwhile,
        // through several rounds of asking.
        await().during(Duration.ofMillis(500)).atMost(patience())
                .until(() -> cluster.store(2).hasCommitRecord(w.txId()));

        // Power loss at replica 3: the apply is gone, its prepare (synced before the YES) is back.
        cluster.crash(3);
        cluster.store(3).loseUnsyncedWrites();
        assertThat(cluster.store(3).hasPrepared(w.txId())).isTrue();
        cluster.store(3).syncGate = null;
        disk.countDown();
        cluster.start(3);

        // It learns the COMMIT again, and only then does the coordinator forget it.
        await().atMost(patience()).untilAsserted(() -> {
            assertThat(get(3, "k").value()).isEqualTo("v");
            assertThat(cluster.store(2).hasCommitRecord(w.txId())).isFalse();
        });
        assertThat(cluster.store(3).hasPrepared(w.txId())).isFalse();
    }

    @Test
    void aNoVoteAbortsEverywhereWithTheVotersReason() throws Exception {
        putEverywhere(1, "k", "v1");
        assertThatThrownBy(() -> cluster.node(4).execute(List.of(new Mutation.Put("k", "v2", 7))))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                    assertThat(e.abortCause()).isEqualTo(AbortCause.VERSION_MISMATCH);
                    assertThat(e.reason()).matches("replica \\d voted NO: key 'k' is at version 1, expected 7");
                });
        // A PREPARE still on its way when the NO came is refused or let go on arrival.
        await().atMost(patience()).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "k").value()).isEqualTo("v1");
                assertThat(cluster.node(r).lockedKeys()).isZero();
            }
        });
    }

    @Test
    void aSilentReplicaMakesTheCoordinatorAbortAtTheVoteTimeoutNamingIt() throws Exception {
        cluster.network.hang(3);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> put(1, "k", "v"))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                    assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT);
                    assertThat(e.reason()).isEqualTo("replica 3 did not vote within 300 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(events(1)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.TIMED_OUT);
            assertThat(e.peer()).isEqualTo(3);
        });
        assertThat(cluster.node(1).status().timeouts()).isPositive();
        cluster.network.release(3);
        for (int r : List.of(1, 2, 4, 5)) {
            assertThat(get(r, "k").found()).isFalse();
        }
    }

    @Test
    void anUnreachableReplicaAbortsAtOnceAsUnreachable() throws Exception {
        cluster.network.down(5);
        assertThatThrownBy(() -> put(2, "k", "v"))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                    assertThat(e.abortCause()).isEqualTo(AbortCause.UNREACHABLE);
                    assertThat(e.reason()).startsWith("replica 5 is unreachable");
                });
        cluster.network.up(5);
        assertThat(put(2, "k", "v").version()).isEqualTo(1);
    }

    @Test
    void aLostDecisionIsRedeliveredAndTheCommitRecordKeptUntilThen() throws Exception {
        cluster.network.loseDecisions(4);
        // Answered at the commit point, without replica 4's acknowledgement; its absence is reported
        // by the sweep once the ack timeout has passed.
        WriteResult w = put(1, "k", "v");
        assertThat(events(1)).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.ANSWERED))
                .noneSatisfy(e -> assertThat(e.type()).isEqualTo(EventType.ALL_ACKNOWLEDGED));
        await().atMost(patience()).untilAsserted(() -> assertThat(events(1)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.TIMED_OUT);
            assertThat(e.peer()).isEqualTo(4);
            assertThat(e.reason()).contains("did not acknowledge COMMIT");
        }));
        assertThat(cluster.store(1).hasCommitRecord(w.txId())).isTrue();
        cluster.network.deliverDecisions(4);
        await().atMost(patience()).untilAsserted(() -> {
            assertThat(get(4, "k").value()).isEqualTo("v");
            assertThat(cluster.store(1).hasCommitRecord(w.txId())).isFalse();
        });
    }

    private static PrepareRequest request(TxId tx, Mutation... mutations) {
        return new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), tx, new TxAge(System.currentTimeMillis(), tx.coordinator(), tx.sequence()), List.of(mutations));
    }

    @Test
    void aReadOfAPreparedKeyWaitsForTheOutcome() throws Exception {
        putEverywhere(1, "k", "old");
        TxId tx = new TxId(1, 1, 500);
        assertThat(cluster.node(5).prepare(request(tx, Mutation.put("k", "new")))).isInstanceOf(Vote.Yes.class);
        CompletableFuture<ReadResult> read = CompletableFuture.supplyAsync(() -> {
            try {
                return get(5, "k");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The commit may already be visible elsewhere, so the read must not answer "old" now.
        assertThat(read).isNotDone();
        cluster.node(5).decide(tx, Decision.COMMIT);
        assertThat(read.get(5, TimeUnit.SECONDS).value()).isEqualTo("new");
    }

    @Test
    void aReadRefusesWhenThePreparedOutcomeStaysUnknownAndAnUnknownTransactionIsPresumedAborted() throws Exception {
        putEverywhere(1, "k", "old");
        cluster.network.down(5);
        TxId tx = new TxId(1, 1, 501);
        assertThat(cluster.node(5).prepare(request(tx, Mutation.put("k", "never")))).isInstanceOf(Vote.Yes.class);
        assertThatThrownBy(() -> get(5, "k")).isInstanceOf(ReadTimeoutException.class)
                .hasMessageContaining("held by prepared transaction " + tx);
        await().atMost(patience()).until(() -> cluster.node(5).status().inDoubt() == 1);
        cluster.network.up(5);
        // Coordinator 1 has no record of t1.1.501 and is not deciding it (presumed abort), and the
        // other replicas never voted for it (they refuse it now): whoever is asked first settles it.
        await().atMost(patience()).untilAsserted(() -> assertThat(get(5, "k").value()).isEqualTo("old"));
        // A participant records RESOLVED just after the outcome is visible: awaited too.
        await().atMost(patience()).untilAsserted(() -> assertThat(events(5)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.RESOLVED);
            assertThat(e.reason()).matches("(coordinator 1|replica \\d) answered ABORTED.*");
        }));
    }

    @Test
    void aReadDoesNotWaitForATransactionThatHasNotVotedHere() throws Exception {
        put(1, "k", "old");
        TxId tx = new TxId(2, 1, 502);
        assertThat(cluster.node(1).lock(request(tx, Mutation.put("k", "new")))).isInstanceOf(Vote.Yes.class);
        assertThat(cluster.node(1).lockedKeys()).isEqualTo(1);
        // Locked at the primary but not prepared: no commit can exist yet, the old value is current.
        assertThat(get(1, "k").value()).isEqualTo("old");
        cluster.node(1).decide(tx, Decision.ABORT);
        assertThat(cluster.node(1).lockedKeys()).isZero();
    }

    @Test
    void contentsMarkKeysHeldByPreparedTransactionsIncludingKeysNotYetCreated() throws Exception {
        putEverywhere(1, "a", "1");
        putEverywhere(1, "c", "3");
        TxId tx = new TxId(1, 1, 504);
        cluster.network.down(4);
        assertThat(cluster.node(4).prepare(request(tx, Mutation.put("a", "2"), Mutation.put("b", "new")))).isInstanceOf(Vote.Yes.class);
        var page = cluster.node(4).contents("", 10);
        assertThat(page.entries()).extracting(e -> e.key() + "=" + e.value() + "@" + e.version() + (e.pendingTx() == null ? "" : " " + e.pendingTx()))
                .containsExactly("a=1@1 " + tx, "b=null@0 " + tx, "c=3@1");
        assertThat(page.next()).isEmpty();
        cluster.node(4).decide(tx, Decision.COMMIT);
        assertThat(cluster.node(4).contents("", 10).entries()).extracting(e -> e.key() + "=" + e.value())
                .containsExactly("a=2", "b=new", "c=3");
    }

    @Test
    void locksTakenAtThePrimaryLapseWhenNoPrepareFollows() throws Exception {
        TxId tx = new TxId(2, 1, 503);
        assertThat(cluster.node(1).lock(request(tx, Mutation.put("k", "v")))).isInstanceOf(Vote.Yes.class);
        assertThat(cluster.node(1).lockedKeys()).isEqualTo(1);
        // Its coordinator never sends PREPARE (it crashed): the lease frees the key.
        await().atMost(patience()).until(() -> cluster.node(1).lockedKeys() == 0);
        assertThat(put(3, "k", "v").version()).isEqualTo(1);
    }

    @Test
    void aParticipantThatWaitsTooLongAsksTheCoordinator() throws Exception {
        cluster.network.loseDecisions(2);
        WriteResult w = put(1, "k", "v");
        // Re-delivery is blocked too, so only the participant's own question can settle it.
        await().atMost(patience()).untilAsserted(() -> assertThat(get(2, "k").value()).isEqualTo("v"));
        // A participant records RESOLVED just after the outcome is visible: awaited too.
        await().atMost(patience()).untilAsserted(() -> assertThat(events(2)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.TIMED_OUT);
            assertThat(e.txId()).isEqualTo(w.txId());
        }).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.RESOLVED);
            assertThat(e.reason()).isEqualTo("coordinator 1 answered COMMITTED");
        }));
    }

    @Test
    void peersSettleACommitWhenTheCoordinatorIsGone() throws Exception {
        cluster.network.loseDecisions(4);
        WriteResult w = put(2, "k", "v");
        cluster.crash(2);
        await().atMost(patience()).untilAsserted(() -> assertThat(get(4, "k").value()).isEqualTo("v"));
        // A participant records RESOLVED just after the outcome is visible: awaited too.
        await().atMost(patience()).untilAsserted(() -> assertThat(events(4)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.RESOLVED);
            assertThat(e.txId()).isEqualTo(w.txId());
            assertThat(e.reason()).contains("answered COMMITTED").contains("coordinator 2 is unreachable");
        }));
    }

    @Test
    void aPeerThatNeverVotedRefusesForGoodSoTheOthersCanAbort() throws Exception {
        ReplicaNode p = cluster.node(3);
        TxId tx = new TxId(1, 99, 1);
        assertThat(p.outcome(tx, System.currentTimeMillis())).isEqualTo(TxOutcome.ABORTED);
        assertThat(cluster.store(3).outcome(tx)).contains(Decision.ABORT);
        Vote late = p.prepare(new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), tx, new TxAge(1, 1, 1), List.of(Mutation.put("k", "v"))));
        assertThat(late).isInstanceOf(Vote.No.class);
        assertThat(p.lockedKeys()).isZero();
    }

    @Test
    void withTheCoordinatorGoneAfterDecidingNobodyKnowsSoParticipantsAreInDoubtUntilItReturns() throws Exception {
        loseEveryDecision();
        WriteResult w = put(2, "k", "v");
        cluster.crash(2);
        await().atMost(patience()).until(() -> cluster.node(4).status().inDoubt() == 1);
        // Counted (and listed) once past the prepared timeout; the first attempt to learn the outcome follows.
        await().atMost(patience()).untilAsserted(() -> assertThat(cluster.node(4).inDoubt()).singleElement().satisfies(t -> {
            assertThat(t.txId()).isEqualTo(w.txId());
            assertThat(t.keys()).containsExactly("k");
            assertThat(t.lastAttempt()).contains("coordinator 2 is unreachable").contains("prepared");
        }));
        // Recorded just after the state changes, so awaited too.
        await().atMost(patience()).untilAsserted(() ->
                assertThat(events(4)).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.IN_DOUBT)));
        deliverEveryDecision();
        // The restarted coordinator finds its durable COMMIT and delivers it.
        cluster.start(2);
        await().atMost(patience()).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "k").value()).isEqualTo("v");
                assertThat(cluster.node(r).status().inDoubt()).isZero();
            }
        });
    }

    @Test
    void aCoordinatorThatLostItsCommitRecordInAPowerLossFindsTheWriteCommittedByAskingEveryMember() throws Exception {
        loseEveryDecision();
        // Parallel commit: answered once every prepare was durable; the COMMIT record is not synced.
        WriteResult w = put(2, "k", "v");
        cluster.crash(2);
        cluster.store(2).loseUnsyncedWrites();
        assertThat(cluster.store(2).hasCommitRecord(w.txId())).isFalse();
        assertThat(cluster.store(2).hasPrepared(w.txId())).isTrue();
        // Asked meanwhile, the others hold it prepared and cannot settle it.
        await().atMost(patience()).until(() -> cluster.node(4).status().inDoubt() == 1);
        deliverEveryDecision();

        cluster.start(2);
        await().atMost(patience()).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "k").value()).as("replica " + r).isEqualTo("v");
                assertThat(get(r, "k").version()).as("replica " + r).isEqualTo(w.version());
                assertThat(cluster.node(r).status().inDoubt()).as("replica " + r).isZero();
            }
        });
        assertThat(events(2)).anySatisfy(e -> {
            assertThat(e.role()).isEqualTo(Role.COORDINATOR);
            assertThat(e.type()).isEqualTo(EventType.COMMITTED);
            assertThat(e.txId()).isEqualTo(w.txId());
            assertThat(e.reason()).isEqualTo("every member holds it prepared: it committed when the last prepare became durable");
        });
    }

    @Test
    void aRestartedCoordinatorAbortsItsOwnPreparedWriteWhenAMemberNeverPreparedIt() throws Exception {
        // Replica 5 never gets the PREPARE, and the coordinator crashes (a power loss) while it waits
        // for the votes. Its own prepare is durable, so at the restart it asks every member.
        cluster.network.down(5);
        cluster.node(2).faults().allow();
        cluster.node(2).faults().onCrash(() -> {
            cluster.crash(2);
            cluster.store(2).loseUnsyncedWrites();
            throw new IllegalStateException("crashed at the fault point");
        });
        cluster.node(2).injectFault(chorus.api.model.FaultSpec.AtPoint.crash("coordinator-after-prepare-sent"));
        assertThatThrownBy(() -> put(2, "k", "v")).hasMessageContaining("crashed at the fault point");
        List<PreparedRecord> mine = cluster.store(2).preparedRecords();
        assertThat(mine).singleElement();
        cluster.network.up(5);
        cluster.start(2);
        await().atMost(patience()).untilAsserted(() -> {
            assertThat(events(2)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.RESOLVED);
                assertThat(e.txId()).isEqualTo(mine.get(0).txId());
                assertThat(e.reason()).contains("never voted YES for it");
            });
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "k").found()).as("replica " + r).isFalse();
                assertThat(cluster.node(r).status().inDoubt()).as("replica " + r).isZero();
            }
        });
    }

    @Test
    void anAbortWithNoNoVoteIsDurableAtTheCoordinatorBeforeAnyoneHearsOfIt() throws Exception {
        cluster.network.hang(3);
        assertThatThrownBy(() -> put(1, "k", "v"))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT));
        // A power loss now keeps the abort: no prepare of the coordinator's own is left to be read as
        // "every member holds it prepared" if replica 3 prepared after all.
        cluster.crash(1);
        cluster.store(1).loseUnsyncedWrites();
        assertThat(cluster.store(1).preparedRecords()).isEmpty();
        cluster.network.release(3);
        cluster.start(1);
        await().atMost(patience()).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "k").found()).as("replica " + r).isFalse();
                assertThat(cluster.node(r).status().inDoubt()).as("replica " + r).isZero();
            }
        });
    }

    @Test
    void anOperatorCanForceTheOutcomeOfAnInDoubtTransaction() throws Exception {
        loseEveryDecision();
        put(2, "k", "v");
        cluster.crash(2);
        await().atMost(patience()).until(() -> cluster.node(5).status().inDoubt() == 1);
        TxId tx = cluster.node(5).inDoubt().get(0).txId();
        cluster.node(5).forceDecision(tx, Decision.ABORT, "drill");
        assertThat(get(5, "k").found()).isFalse();
        assertThat(cluster.node(5).lockedKeys()).isZero();
        assertThat(events(5)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.HEURISTIC_DECISION);
            assertThat(e.reason()).isEqualTo("operator forced ABORT: drill");
        });
        assertThatThrownBy(() -> cluster.node(5).forceDecision(tx, Decision.COMMIT, "again"))
                .hasMessageContaining("holds no prepared transaction");
    }

    @Test
    void aCoordinatorWithNoRecordPresumesAbort() throws Exception {
        TxId earlier = new TxId(3, 1, 42);
        cluster.crash(3);
        cluster.start(3);
        assertThat(cluster.node(3).outcome(earlier, System.currentTimeMillis())).isEqualTo(TxOutcome.PRESUMED_ABORTED);
    }

    @Test
    void aRestartedParticipantRelocksItsPreparedTransactionAndResolvesIt() throws Exception {
        // k holds a value before: the recovered transaction overwrites it (MemoryStore checks that
        // the apply knows so, as RocksStore's key count relies on it).
        putEverywhere(1, "k", "old");
        cluster.network.loseDecisions(3);
        put(1, "k", "v");
        cluster.crash(3);
        cluster.network.deliverDecisions(3);
        cluster.start(3);
        await().atMost(patience()).untilAsserted(() -> {
            assertThat(get(3, "k").value()).isEqualTo("v");
            assertThat(cluster.node(3).lockedKeys()).isZero();
        });
        assertThat(events(3)).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.RECOVERED));
    }

    @Test
    void conflictingWritersFromEveryReplicaAllCommitInSomeOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int coordinator = i % 5 + 1;
                String value = "w" + i;
                writes.add(pool.submit(() -> put(coordinator, "hot", value)));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<WriteResult> f : writes) {
                versions.add(f.get(30, TimeUnit.SECONDS).version());
            }
            assertThat(versions).doesNotHaveDuplicates().hasSize(50);
            for (int r = 1; r <= 5; r++) {
                assertThat(get(r, "hot").version()).isEqualTo(50);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPeerSpeakingAnotherProtocolVersionIsRefusedWithAReason() throws Exception {
        TxId tx = new TxId(2, 1, 505);
        PrepareRequest future = new PrepareRequest(99, View.initial(List.of(1, 2, 3, 4, 5)), tx, new TxAge(1, 2, 505), List.of(Mutation.put("k", "v")));
        assertThat(cluster.node(3).prepare(future)).isInstanceOfSatisfying(Vote.No.class,
                no -> assertThat(no.reason()).isEqualTo("replica 3 speaks protocol version " + ProtocolVersion.CURRENT + ", not 99"));
        assertThat(cluster.node(3).lock(future)).isInstanceOf(Vote.No.class);
        assertThat(cluster.node(3).lockedKeys()).isZero();
    }

    @Test
    void theFailureSwitchIsRecordedAsAnEvent() throws Exception {
        cluster.node(2).setSimulatedFailure(true);
        cluster.node(2).setSimulatedFailure(false);
        assertThat(events(2)).filteredOn(e -> e.role() == Role.OPERATOR).extracting(ProtocolEvent::type)
                .containsExactly(EventType.FAILURE_ON, EventType.FAILURE_OFF);
    }
}
