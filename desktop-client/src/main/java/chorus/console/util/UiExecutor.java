package chorus.console.util;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and delivers its outcome on the UI thread. View-models take one of
 * these instead of touching threads: the application injects {@link FxUiExecutor}, unit tests a
 * same-thread executor so that asynchronous code becomes deterministic.
 */
public interface UiExecutor {

    /** Runs {@code work} in the background; exactly one of the callbacks then runs on the UI thread. */
    <T> void submit(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure);

    /** Runs {@code action} on the UI thread (now if already there). */
    void onUi(Runnable action);
}
