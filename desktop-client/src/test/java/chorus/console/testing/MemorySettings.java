package chorus.console.testing;

import chorus.console.viewmodel.ConsoleSettings;
import chorus.console.viewmodel.Theme;
import java.util.ArrayList;
import java.util.List;

/** Settings kept in memory, so that tests never touch the user's preferences. */
public final class MemorySettings implements ConsoleSettings {

    private Theme theme = Theme.LIGHT;
    private final List<String> recent = new ArrayList<>();

    @Override
    public Theme theme() {
        return theme;
    }

    @Override
    public void saveTheme(Theme t) {
        theme = t;
    }

    @Override
    public synchronized List<String> load() {
        return List.copyOf(recent);
    }

    @Override
    public synchronized void save(List<String> newestFirst) {
        recent.clear();
        recent.addAll(newestFirst);
    }
}
