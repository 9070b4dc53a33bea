package chorus.chaos;

import chorus.api.model.Mutation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a client does next, for the chaos clients and the simulator's alike: reads (40 %), puts,
 * deletes, conditional puts with the version last seen (or a guess), and atomic batches of two or
 * three keys mixing all three. Values name the client and a sequence number, so that every
 * written value is unique and a read shows whose write it saw.
 */
public final class OperationMix {

    /** One operation: a read of {@code key}, or a write of {@code mutations}. */
    public record Next(History.Kind kind, String key, List<Mutation> mutations) {
    }

    private final int client;
    private final List<String> keys;
    private final RandomGenerator random;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private int sequence;

    public OperationMix(int client, List<String> keys, RandomGenerator random) {
        this.client = client;
        this.keys = List.copyOf(keys);
        this.random = random;
    }

    public Next next() {
        int dice = random.nextInt(100);
        String key = keys.get(random.nextInt(keys.size()));
        if (dice < 40) {
            return new Next(History.Kind.READ, key, List.of());
        }
        String value = "c" + client + "-" + (++sequence);
        if (dice < 65) {
            return new Next(History.Kind.PUT, null, List.of(Mutation.put(key, value)));
        }
        if (dice < 73) {
            return new Next(History.Kind.DELETE, null, List.of(Mutation.delete(key)));
        }
        if (dice < 88) {
            long expected = lastSeen.getOrDefault(key, (long) random.nextInt(3));
            return new Next(History.Kind.CAS, null, List.of(new Mutation.Put(key, value, expected)));
        }
        List<String> shuffled = new ArrayList<>(keys);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            Collections.swap(shuffled, i, random.nextInt(i + 1));
        }
        List<Mutation> batch = new ArrayList<>();
        for (String k : shuffled.subList(0, Math.min(keys.size(), 2 + random.nextInt(2)))) {
            int what = random.nextInt(10);
            if (what < 2) {
                batch.add(Mutation.delete(k));
            } else if (what < 4 && lastSeen.containsKey(k)) {
                batch.add(new Mutation.Put(k, value, lastSeen.get(k)));
            } else {
                batch.add(Mutation.put(k, value));
            }
        }
        return new Next(History.Kind.BATCH, null, batch);
    }

    /** The client saw {@code key} at {@code version}: its next conditional writes expect that. */
    public void saw(String key, long version) {
        lastSeen.put(key, version);
    }

    public void saw(Map<String, Long> versions) {
        lastSeen.putAll(versions);
    }
}
