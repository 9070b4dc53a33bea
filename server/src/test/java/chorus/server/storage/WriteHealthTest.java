package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A failed write's message names the failure that began it, in the engine's own words. */
class WriteHealthTest {

    private final WriteHealth health = new WriteHealth(() -> 1000L);

    @Test
    void laterFailuresCarryTheFirstFailuresWordsAndTheFirstItsOwnOnly() {
        String first = "synced write failed: While appending to file: /data/000008.log: No space left on device";
        assertThat(health.describe(first)).as("writable: unchanged").isEqualTo(first);

        assertThat(health.failed(first)).isTrue();
        assertThat(health.describe(first)).isEqualTo("disk full: " + first);
        // RocksDB words the writes after the first one without the cause.
        assertThat(health.describe("synced write failed: Writer has previous error."))
                .isEqualTo("disk full: synced write failed: Writer has previous error. (first failure: " + first + ")");

        health.succeeded();
        assertThat(health.describe("synced write failed: Writer has previous error."))
                .isEqualTo("synced write failed: Writer has previous error.");
    }
}
