package chorus.bench.harness;

/** A process for {@link ServerProfilerIT} to profile: computes until it is stopped, for 60 s at most. */
public final class Busy {

    private Busy() {
    }

    public static void main(String[] args) {
        long end = System.nanoTime() + 60_000_000_000L;
        long x = 1;
        while (System.nanoTime() < end) {
            x = spin(x);
        }
        System.out.println(x);
    }

    static long spin(long x) {
        for (int i = 0; i < 1_000_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
