package chorus.console.viewmodel;

/** What the console remembers between runs besides recent connections. */
public interface ConsoleSettings extends RecentConnections {

    Theme theme();

    void saveTheme(Theme theme);
}
