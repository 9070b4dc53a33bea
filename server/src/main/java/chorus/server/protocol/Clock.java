package chorus.server.protocol;

/**
 * Where the protocol reads the time: {@link #nanoTime()} for its waits and deadlines, {@link #millis()}
 * for what it records (prepare times, event times). Injected so that a simulator can run the same
 * classes on a simulated clock, where a timeout costs no wall time.
 */
public interface Clock {

    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
    long millis();

    /** The machine's clocks. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public String toString() {
            return "system clock";
        }
    };
}
