package chorus.api.model;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** One page of committed contents; {@code nextAfterKey} is null on the last page. */
public record ContentsPage(int replica, List<KeyEntry> entries, String nextAfterKey, long totalKeys) implements Serializable {

    public ContentsPage {
        entries = List.copyOf(entries);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextAfterKey);
    }
}
