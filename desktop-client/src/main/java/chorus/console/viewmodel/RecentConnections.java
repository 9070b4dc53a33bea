package chorus.console.viewmodel;

import java.util.List;

/** Where the connect dialog remembers the addresses it reached (newest first). */
public interface RecentConnections {

    List<String> load();

    void save(List<String> newestFirst);
}
