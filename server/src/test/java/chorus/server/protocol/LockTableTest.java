package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.TxId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockTableTest {

    private final LockTable locks = new LockTable(Scheduler.threads());

    private static TxId tx(long n) {
        return new TxId(1, 1, n);
    }

    private static TxAge age(long n) {
        return new TxAge(n, 1, n);
    }

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aFreeKeyIsGrantedAtOnceAndReportedAsHeld() throws Exception {
        assertThat(locks.acquireAll(tx(1), age(1), List.of("a", "b"), in(10)).acquired()).isTrue();
        assertThat(locks.holder("a")).contains(tx(1));
        assertThat(locks.holdsAll(tx(1), List.of("a", "b"))).isTrue();
        locks.releaseAll(tx(1));
        assertThat(locks.holder("a")).isEmpty();
        assertThat(locks.lockedKeys()).isZero();
    }

    @Test
    void aWaitEndsAtTheDeadlineWithAReasonAndHoldsNothing() throws Exception {
        locks.acquireAll(tx(1), age(1), List.of("b"), in(10));
        LockTable.Acquisition a = locks.acquireAll(tx(2), age(2), List.of("a", "b"), in(50));
        assertThat(a.acquired()).isFalse();
        assertThat(a.reason()).isEqualTo("key 'b' stayed locked by t1.1.1 past the lock wait");
        // "a" was taken on the way and must have been given back.
        assertThat(locks.holder("a")).isEmpty();
    }

    @Test
    void aReleasedKeyGoesToTheOldestWaiter() throws Exception {
        locks.acquireAll(tx(1), age(1), List.of("k"), in(10));
        CompletableFuture<LockTable.Acquisition> young = waitFor(tx(9), age(9));
        CompletableFuture<LockTable.Acquisition> old = waitFor(tx(5), age(5));
        org.awaitility.Awaitility.await().until(() -> queued(2));
        locks.releaseAll(tx(1));
        assertThat(old.get(5, TimeUnit.SECONDS).acquired()).isTrue();
        assertThat(locks.holder("k")).contains(tx(5));
        assertThat(young).isNotDone();
        locks.releaseAll(tx(5));
        assertThat(young.get(5, TimeUnit.SECONDS).acquired()).isTrue();
    }

    @Test
    void cancellingAWaiterEndsItsWaitAtOnce() throws Exception {
        locks.acquireAll(tx(1), age(1), List.of("k"), in(10));
        CompletableFuture<LockTable.Acquisition> waiter = waitFor(tx(2), age(2));
        org.awaitility.Awaitility.await().until(() -> queued(1));
        locks.cancel(tx(2));
        LockTable.Acquisition a = waiter.get(5, TimeUnit.SECONDS);
        assertThat(a.acquired()).isFalse();
        assertThat(a.reason()).startsWith("aborted while waiting");
        locks.releaseAll(tx(1));
        assertThat(locks.holder("k")).isEmpty();
    }

    private int waiting;

    private synchronized boolean queued(int n) {
        return waiting >= n;
    }

    private CompletableFuture<LockTable.Acquisition> waitFor(TxId tx, TxAge age) {
        CompletableFuture<LockTable.Acquisition> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            synchronized (this) {
                waiting++;
            }
            try {
                f.complete(locks.acquireAll(tx, age, List.of("k"), in(10_000)));
            } catch (InterruptedException e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }
}
