package chorus.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One run of the {@code kv} CLI in this JVM, as a test sees it: the exit code and both outputs. */
public record KvRun(int exit, String out, String err) {

    public List<String> lines() {
        return out.lines().toList();
    }

    public static KvRun of(String... args) {
        return withStdin(new byte[0], args);
    }

    /** The same with {@code stdin} as standard input (for {@code --value-file -}). */
    public static KvRun withStdin(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin);
        int exit = KvMain.run(in, new PrintWriter(out), new PrintWriter(err), args);
        return new KvRun(exit, out.toString(), err.toString());
    }

    /** The same against the cluster in {@code configFile}. */
    public static KvRun against(Path configFile, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
        all.addAll(List.of(args));
        return of(all.toArray(String[]::new));
    }

    /** A writer that drops what it is given. */
    static PrintWriter sink() {
        return new PrintWriter(java.io.Writer.nullWriter());
    }
}
