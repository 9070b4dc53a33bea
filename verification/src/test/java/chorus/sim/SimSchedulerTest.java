package chorus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated threads, locks, conditions, futures and time that the protocol classes run on. */
class SimSchedulerTest {

    private final Sim sim = new Sim(42, new Trace(100));
    private final Host host = new Host("r1", 1, 0);
    private final SimScheduler scheduler = new SimScheduler(sim, host);
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void close() {
        sim.kill(host);
        sim.runUntil(Long.MAX_VALUE);
        sim.close();
    }

    private void log(String what) {
        log.add(sim.now() / 1_000_000 + " ms " + what);
    }

    @Test
    void anHourOfSleepPassesAsSimulatedTime() {
        sim.spawn(host, "sleeper", () -> {
            try {
                scheduler.sleep(3_600_000_000_000L);
                log("woke");
            } catch (InterruptedException e) {
                log("interrupted");
            }
        });
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).containsExactly("3600000 ms woke");
    }

    @Test
    void aConditionWaitEndsAtItsTimeoutOrAtTheSignal() {
        Lock lock = scheduler.newLock();
        Condition changed = lock.newCondition();
        sim.spawn(host, "waiter", () -> {
            lock.lock();
            try {
                long left = changed.awaitNanos(100_000_000);
                log("timed out: " + (left <= 0));
                left = changed.awaitNanos(10_000_000_000L);
                log("signalled: " + (left > 0));
            } catch (InterruptedException e) {
                log("interrupted");
            } finally {
                lock.unlock();
            }
        });
        sim.spawn(host, "signaller", () -> {
            try {
                scheduler.sleep(500_000_000);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                changed.signalAll();
                log("signal");
            } finally {
                lock.unlock();
            }
        });
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).containsExactly("100 ms timed out: true", "500 ms signal", "500 ms signalled: true");
    }

    @Test
    void aFutureIsAwaitedUntilCompletedOrItsTimeout() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        sim.spawn(host, "asker", () -> {
            try {
                scheduler.await(answer, 50_000_000);
            } catch (TimeoutException e) {
                log("timeout");
            } catch (Exception e) {
                log("failed " + e);
            }
            try {
                log("got " + scheduler.await(answer, 5_000_000_000L));
            } catch (Exception e) {
                log("failed " + e);
            }
        });
        sim.spawn(host, "answerer", () -> {
            try {
                scheduler.sleep(200_000_000);
            } catch (InterruptedException e) {
                return;
            }
            answer.complete("42");
        });
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).containsExactly("50 ms timeout", "200 ms got 42");
    }

    @Test
    void aCancelledPoolTaskInterruptsItsThread() throws Exception {
        ExecutorService pool = scheduler.newPool("calls");
        sim.spawn(host, "caller", () -> {
            Future<?> f = pool.submit(() -> {
                try {
                    scheduler.sleep(10_000_000_000L);
                    log("slept");
                } catch (InterruptedException e) {
                    log("task interrupted");
                }
            });
            try {
                scheduler.await(f, 100_000_000);
            } catch (TimeoutException e) {
                f.cancel(true);
                log("cancelled");
            } catch (Exception e) {
                log("failed " + e);
            }
        });
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).containsExactly("100 ms cancelled", "100 ms task interrupted");
    }

    @Test
    void aKilledHostsThreadsUnwindWithoutRunningOn() {
        Lock lock = scheduler.newLock();
        Condition never = lock.newCondition();
        sim.spawn(host, "blocked", () -> {
            lock.lock();
            try {
                never.await();
                log("woke");
            } catch (InterruptedException e) {
                log("interrupted");
            } finally {
                log("unwound");
                lock.unlock();
            }
        });
        sim.runUntil(1_000_000_000);
        sim.kill(host);
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).containsExactly("1000 ms unwound");
        assertThat(host.threads).isEmpty();
    }

    @Test
    void aPausedHostRunsNothingUntilResumed() {
        sim.spawn(host, "ticker", () -> {
            try {
                for (int i = 0; i < 3; i++) {
                    scheduler.sleep(100_000_000);
                    log("tick");
                }
            } catch (InterruptedException e) {
                log("interrupted");
            }
        });
        sim.runUntil(150_000_000);
        sim.pause(host);
        sim.runUntil(2_000_000_000);
        sim.resume(host);
        sim.runUntil(Long.MAX_VALUE);
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).isEqualTo("100 ms tick");
        assertThat(log.get(1)).startsWith("2000 ms tick");
        assertThat(log.get(2)).startsWith("2100 ms tick");
    }
}
