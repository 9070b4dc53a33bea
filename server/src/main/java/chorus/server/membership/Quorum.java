package chorus.server.membership;

import chorus.server.protocol.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One round of calls to every configured replica, waited for until a majority granted, everyone
 * answered, or the time ran out, whichever comes first: a proposer must not wait for a dead
 * replica's timeout once a majority is in.
 */
final class Quorum {

    @FunctionalInterface
    interface Call<T> {
        T to(int replica) throws Exception;
    }

    /** The answers that came in time (by replica), and why the others did not. */
    record Round<T>(Map<Integer, T> answers, Map<Integer, String> failures) {
        int count(Predicate<T> granted) {
            return (int) answers.values().stream().filter(granted).count();
        }
    }

    static int majority(int configured) {
        return configured / 2 + 1;
    }

    private Quorum() {
    }

    static <T> Round<T> ask(List<Integer> replicas, Call<T> call, Predicate<T> granted, long timeoutNanos, Scheduler scheduler,
                            ExecutorService calls) throws InterruptedException {
        Map<Integer, T> answers = new TreeMap<>();
        Map<Integer, String> failures = new TreeMap<>();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        int need = majority(replicas.size());
        int[] grants = {0};
        List<Integer> pending = new ArrayList<>(replicas);
        for (int replica : replicas) {
            Runnable task = () -> {
                T answer = null;
                String failure = null;
                try {
                    answer = call.to(replica);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = "interrupted";
                } catch (Exception e) {
                    failure = describe(e);
                }
                synchronized (answers) {
                    pending.remove(Integer.valueOf(replica));
                    if (answer != null) {
                        answers.put(replica, answer);
                        if (granted.test(answer)) {
                            grants[0]++;
                        }
                    } else {
                        failures.put(replica, failure);
                    }
                    if (grants[0] >= need || pending.isEmpty()) {
                        enough.complete(null);
                    }
                }
            };
            try {
                calls.execute(task);
            } catch (RejectedExecutionException e) {
                synchronized (answers) {
                    pending.remove(Integer.valueOf(replica));
                    failures.put(replica, "shutting down");
                    if (pending.isEmpty()) {
                        enough.complete(null);
                    }
                }
            }
        }
        try {
            scheduler.await(enough, timeoutNanos);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // those still out count as failed below
        }
        synchronized (answers) {
            for (int replica : pending) {
                failures.put(replica, "no answer within " + timeoutNanos / 1_000_000 + " ms");
            }
            return new Round<>(new TreeMap<>(answers), new TreeMap<>(failures));
        }
    }

    static String describe(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.rmi.RemoteException)) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
