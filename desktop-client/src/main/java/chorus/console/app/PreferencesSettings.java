package chorus.console.app;

import chorus.console.viewmodel.ConsoleSettings;
import chorus.console.viewmodel.Theme;
import java.util.Arrays;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Theme and recent connections in the user's {@link Preferences} (under the user's home, never in
 * the repository). Tests point it at their own node.
 */
public final class PreferencesSettings implements ConsoleSettings {

    private static final Logger LOG = LoggerFactory.getLogger(PreferencesSettings.class);
    private static final String THEME = "theme";
    private static final String RECENT = "recentConnections";

    private final Preferences node;

    public PreferencesSettings(Preferences node) {
        this.node = node;
    }

    public static PreferencesSettings forUser() {
        return new PreferencesSettings(Preferences.userRoot().node("chorus/console"));
    }

    @Override
    public Theme theme() {
        try {
            return Theme.valueOf(node.get(THEME, Theme.LIGHT.name()));
        } catch (IllegalArgumentException e) {
            return Theme.LIGHT;
        }
    }

    @Override
    public void saveTheme(Theme theme) {
        node.put(THEME, theme.name());
        flush();
    }

    @Override
    public List<String> load() {
        String s = node.get(RECENT, "");
        return s.isBlank() ? List.of() : Arrays.stream(s.split("\n")).filter(x -> !x.isBlank()).toList();
    }

    @Override
    public void save(List<String> newestFirst) {
        node.put(RECENT, String.join("\n", newestFirst));
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("could not save console preferences: {}", e.getMessage());
        }
    }
}
