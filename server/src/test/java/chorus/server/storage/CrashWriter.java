package chorus.server.storage;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.server.protocol.AppliedWrite;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The process that {@link RocksStoreCrashTest} kills: writes keys k1, k2, ... to a store, every
 * fourth write synced, and after each synced write prints "synced N" (every write up to N is then
 * durable: the log is synced as a whole, in order). Stops by itself after {@code max} writes, in
 * case nobody kills it.
 */
public final class CrashWriter {

    static final int VALUE_BYTES = 4096;

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int max = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        try (RocksStore store = RocksStore.open(dir, System::currentTimeMillis)) {
            out.println("open");
            out.flush();
            for (int i = 1; i <= max; i++) {
                boolean durable = i % 4 == 0;
                store.applyOutcome(new TxId(1, 1, i), Decision.COMMIT,
                        List.of(new AppliedWrite("k" + i, value(i), 1, false)), durable);
                if (durable) {
                    out.println("synced " + i);
                    out.flush();
                }
            }
        }
    }

    static String value(int i) {
        String head = i + ":";
        return head + "v".repeat(VALUE_BYTES - head.length());
    }
}
