package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.model.AbortCause;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writes that wait for a slot leave together as one transaction, and each caller gets its own answer. */
class WriteGroupsTest {

    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** Lets the transaction holding the first slot ("hold1") finish; "hold2" waits for {@link #releaseAll}. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch releaseAll = new CountDownLatch(1);
    private final List<List<Mutation>> transactions = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile String refusal;

    /** A transaction whose first key starts with "hold" waits to be released; each key gets version 7. */
    private WriteResult run(List<Mutation> mutations) throws ChorusException, InterruptedException {
        transactions.add(mutations);
        TxId tx = new TxId(1, 1, sequence.incrementAndGet());
        String first = mutations.get(0).key();
        if (first.startsWith("hold")) {
            assertThat((first.equals("hold1") ? release : releaseAll).await(10, TimeUnit.SECONDS)).isTrue();
        }
        if (refusal != null) {
            throw new TransactionAbortedException(tx, AbortCause.TIMEOUT, refusal);
        }
        Map<String, Long> versions = new HashMap<>();
        mutations.forEach(m -> versions.put(m.key(), 7L));
        return new WriteResult(tx, versions, 1, 1, 1);
    }

    private final WriteGroups groups = new WriteGroups(1, this::run, Duration.ofSeconds(5),
            WriteGroups.GATHER_HALF_LAST, WriteGroups.MAX_IN_FLIGHT, Scheduler.threads());

    @AfterEach
    void stop() {
        release.countDown();
        releaseAll.countDown();
        clients.shutdownNow();
    }

    private Future<WriteResult> write(Mutation... mutations) {
        return clients.submit(() -> groups.execute(List.of(mutations)));
    }

    /** Submits a write that must queue, and waits until it has: the queue's order is then the call order. */
    private Future<WriteResult> queued(Mutation... mutations) {
        int before = groups.waiting();
        Future<WriteResult> f = write(mutations);
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.waiting() == before + 1);
        return f;
    }

    /**
     * Fills every slot with a held transaction ("hold1", "hold2", ...); {@link #release} frees the
     * first, so exactly one group forms next.
     */
    private void holdAllSlots() {
        for (int i = 1; i <= WriteGroups.MAX_IN_FLIGHT; i++) {
            write(Mutation.put("hold" + i, "x"));
            int running = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == running);
        }
    }

    @Test
    void aForwardingReplicaKeepsTwoGroupsUnderWayAndGroupsTheRest() throws Exception {
        WriteGroups forwarder = new WriteGroups(1, this::run, Duration.ofSeconds(5),
            WriteGroups.NO_GATHER, WriteGroups.FORWARD_IN_FLIGHT, Scheduler.threads());
        Future<WriteResult> first = clients.submit(() -> forwarder.execute(List.of(Mutation.put("hold1", "x"))));
        Future<WriteResult> second = clients.submit(() -> forwarder.execute(List.of(Mutation.put("hold2", "x"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 2);
        Future<WriteResult> a = clients.submit(() -> forwarder.execute(List.of(Mutation.put("a", "1"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.waiting() == 1);
        Future<WriteResult> b = clients.submit(() -> forwarder.execute(List.of(Mutation.put("b", "2"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.waiting() == 2);
        assertThat(transactions).as("both slots taken, the rest wait").hasSize(2);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).versions()).containsEntry("hold1", 7L);
        assertThat(a.get(10, TimeUnit.SECONDS).versions()).containsOnlyKeys("a");
        assertThat(b.get(10, TimeUnit.SECONDS).versions()).containsOnlyKeys("b");
        assertThat(transactions.get(2)).as("the waiting writes left as one group").hasSize(2);
        releaseAll.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS).versions()).containsEntry("hold2", 7L);
    }

    @Test
    void aWriteAloneIsItsOwnTransactionAtOnce() throws Exception {
        WriteResult r = write(Mutation.put("a", "1")).get(10, TimeUnit.SECONDS);

        assertThat(transactions).containsExactly(List.of(Mutation.put("a", "1")));
        assertThat(r.versions()).isEqualTo(Map.of("a", 7L));
    }

    @Test
    void writesThatWaitForASlotLeaveTogetherAndEachGetsItsOwnVersions() throws Exception {
        holdAllSlots();
        Future<WriteResult> a = queued(Mutation.put("a", "1"));
        Future<WriteResult> b = queued(Mutation.put("b", "2"), Mutation.delete("c"));
        Future<WriteResult> d = queued(Mutation.delete("d"));
        assertThat(transactions).hasSize(WriteGroups.MAX_IN_FLIGHT);

        release.countDown();

        assertThat(a.get(10, TimeUnit.SECONDS).versions()).isEqualTo(Map.of("a", 7L));
        assertThat(b.get(10, TimeUnit.SECONDS).versions()).isEqualTo(Map.of("b", 7L, "c", 7L));
        assertThat(d.get(10, TimeUnit.SECONDS).versions()).isEqualTo(Map.of("d", 7L));
        assertThat(transactions).hasSize(WriteGroups.MAX_IN_FLIGHT + 1);
        assertThat(transactions.get(WriteGroups.MAX_IN_FLIGHT)).containsExactly(Mutation.put("a", "1"), Mutation.put("b", "2"), Mutation.delete("c"),
                Mutation.delete("d"));
        assertThat(a.get().txId()).isEqualTo(b.get().txId()).isEqualTo(d.get().txId());
    }

    @Test
    void twoWritesOfOneKeyNeverShareATransaction() throws Exception {
        holdAllSlots();
        Future<WriteResult> first = queued(Mutation.put("k", "1"));
        Future<WriteResult> second = queued(Mutation.put("k", "2"));
        Future<WriteResult> other = queued(Mutation.put("other", "3"));

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        other.get(10, TimeUnit.SECONDS);

        assertThat(transactions.subList(WriteGroups.MAX_IN_FLIGHT, transactions.size())).containsExactly(
                List.of(Mutation.put("k", "1"), Mutation.put("other", "3")), List.of(Mutation.put("k", "2")));
    }

    @Test
    void aConditionalWriteRunsAloneEvenWhenTheSlotsAreFull() throws Exception {
        holdAllSlots();
        Mutation conditional = new Mutation.Put("c", "v", 3);

        write(conditional).get(10, TimeUnit.SECONDS);

        assertThat(transactions).hasSize(WriteGroups.MAX_IN_FLIGHT + 1).last().isEqualTo(List.of(conditional));
    }

    @Test
    void aFailedGroupFailsEveryWriteInIt() throws Exception {
        holdAllSlots();
        Future<WriteResult> a = queued(Mutation.put("a", "1"));
        Future<WriteResult> b = queued(Mutation.put("b", "2"));
        refusal = "replica 3 did not vote within 2000 ms";

        release.countDown();

        for (Future<WriteResult> f : List.of(a, b)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TransactionAbortedException.class).hasMessageContaining("did not vote");
        }
    }

    @Test
    void aWriteThatWaitsLongerThanItsPatienceGivesUpUnstarted() throws Exception {
        WriteGroups impatient = new WriteGroups(4, this::run, Duration.ofMillis(200),
            WriteGroups.GATHER_HALF_LAST, WriteGroups.MAX_IN_FLIGHT, Scheduler.threads());
        for (int i = 1; i <= WriteGroups.MAX_IN_FLIGHT; i++) {
            String key = "hold" + i;
            clients.submit(() -> impatient.execute(List.of(Mutation.put(key, "x"))));
            int running = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == running);
        }

        assertThatThrownBy(() -> impatient.execute(List.of(Mutation.put("late", "x")))).isInstanceOf(WriteNotStartedException.class)
                .hasMessage("write not started: replica 4 was busy with earlier writes for 200 ms; nothing was applied");
        assertThat(impatient.waiting()).isZero();
        release.countDown();
        releaseAll.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> impatient.waiting() == 0);
        assertThat(transactions).noneMatch(t -> t.get(0).key().equals("late"));
    }

    @Test
    void aBadWriteIsRefusedAloneBeforeItCanSpoilAGroup() {
        assertThatThrownBy(() -> groups.execute(List.of(Mutation.put("k", "1"), Mutation.put("k", "2"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("appears twice");
        assertThat(transactions).isEmpty();
    }

    // ---------------------------------------------------------------- gathering the writers expected back

    /** Groups that wait up to 10 s for expected writers: long enough that only arrivals end a wait here. */
    private final WriteGroups patient = new WriteGroups(2, this::run, Duration.ofSeconds(30),
            last -> TimeUnit.SECONDS.toNanos(10), WriteGroups.MAX_IN_FLIGHT, Scheduler.threads());

    private Future<WriteResult> writeTo(WriteGroups g, String key) {
        return clients.submit(() -> g.execute(List.of(Mutation.put(key, "v"))));
    }

    private static List<String> keysOf(List<Mutation> transaction) {
        return transaction.stream().map(Mutation::key).toList();
    }

    @Test
    void aGroupHandedTheSlotWaitsForTheWriterOfTheFinishedGroupAndTheyLeaveTogether() throws Exception {
        Future<WriteResult> hold = writeTo(patient, "hold1");
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        List<Future<WriteResult>> waiting = List.of(writeTo(patient, "x"), writeTo(patient, "y"));
        await().atMost(Duration.ofSeconds(10)).until(() -> patient.waiting() == 2);

        release.countDown();
        hold.get(10, TimeUnit.SECONDS);
        // x leads, with y, and waits for the finished group's writer to come back.
        await().atMost(Duration.ofSeconds(10)).until(patient::gathering);
        assertThat(transactions).hasSize(1);
        Future<WriteResult> back = writeTo(patient, "back");

        for (Future<WriteResult> f : waiting) {
            f.get(10, TimeUnit.SECONDS);
        }
        back.get(10, TimeUnit.SECONDS);
        assertThat(transactions).hasSize(2);
        assertThat(keysOf(transactions.get(1))).containsExactlyInAnyOrder("x", "y", "back");
    }

    @Test
    void aWriteArrivingAfterAGroupWaitsForTheRestOfThatGroupsWriters() throws Exception {
        Future<WriteResult> hold = writeTo(patient, "hold1");
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        Future<WriteResult> a = writeTo(patient, "a");
        Future<WriteResult> b = writeTo(patient, "b");
        await().atMost(Duration.ofSeconds(10)).until(() -> patient.waiting() == 2);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(patient::gathering);
        Future<WriteResult> c = writeTo(patient, "c");
        for (Future<WriteResult> f : List.of(hold, a, b, c)) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(keysOf(transactions.get(1))).containsExactlyInAnyOrder("a", "b", "c");

        // Three writers just finished: the first of them back waits for the other two. It counts as
        // back within the gathering bound (10 s here), so a slow test thread cannot miss the window.
        Future<WriteResult> first = writeTo(patient, "a2");
        await().atMost(Duration.ofSeconds(10)).until(patient::gathering);
        assertThat(transactions).hasSize(2);
        Future<WriteResult> second = writeTo(patient, "b2");
        Future<WriteResult> third = writeTo(patient, "c2");
        for (Future<WriteResult> f : List.of(first, second, third)) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(transactions).hasSize(3);
        assertThat(keysOf(transactions.get(2))).containsExactlyInAnyOrder("a2", "b2", "c2");
    }

    @Test
    void aLoneWriterNeverWaitsForAnybody() throws Exception {
        // With a 10 s gathering bound, any wait would outlast the 5 s allowed for each write.
        for (int i = 0; i < 5; i++) {
            writeTo(patient, "k" + i).get(5, TimeUnit.SECONDS);
        }
        assertThat(transactions).hasSize(5);
    }

    @Test
    void aGroupWhoseExpectedWritersDoNotComeLeavesAtTheBound() throws Exception {
        WriteGroups brief = new WriteGroups(3, this::run, Duration.ofSeconds(30),
            last -> TimeUnit.MILLISECONDS.toNanos(200), WriteGroups.MAX_IN_FLIGHT, Scheduler.threads());
        Future<WriteResult> hold = writeTo(brief, "hold1");
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        Future<WriteResult> x = writeTo(brief, "x");
        await().atMost(Duration.ofSeconds(10)).until(() -> brief.waiting() == 1);
        release.countDown();
        hold.get(10, TimeUnit.SECONDS);

        x.get(10, TimeUnit.SECONDS);
        assertThat(keysOf(transactions.get(1))).containsExactly("x");
        assertThat(brief.gathering()).isFalse();
    }
}
