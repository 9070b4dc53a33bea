package chorus.console.viewmodel;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.model.Mutation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the batch box: one mutation per line, {@code put KEY VALUE...}, {@code delete KEY}, and the
 * conditional forms {@code put@VERSION KEY VALUE...} and {@code delete@VERSION KEY}. Blank lines and
 * lines starting with {@code #} are skipped. The whole batch is then checked with {@link Limits}.
 */
public final class BatchParser {

    private BatchParser() {
    }

    public static List<Mutation> parse(String text) throws InvalidRequestException {
        List<Mutation> out = new ArrayList<>();
        String[] lines = (text == null ? "" : text).split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            String verb = parts[0].toLowerCase(java.util.Locale.ROOT);
            long expected = Mutation.ANY_VERSION;
            int at = verb.indexOf('@');
            if (at >= 0) {
                try {
                    expected = Long.parseLong(verb.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("line " + (i + 1) + ": '" + verb.substring(at + 1)
                            + "' is not a version number");
                }
                verb = verb.substring(0, at);
            }
            switch (verb) {
                case "put" -> {
                    if (parts.length < 3) {
                        throw new InvalidRequestException("line " + (i + 1) + ": put needs a key and a value: put KEY VALUE");
                    }
                    out.add(new Mutation.Put(parts[1], parts[2], expected));
                }
                case "delete" -> {
                    if (parts.length != 2) {
                        throw new InvalidRequestException("line " + (i + 1) + ": delete needs exactly one key: delete KEY");
                    }
                    out.add(new Mutation.Delete(parts[1], expected));
                }
                default -> throw new InvalidRequestException("line " + (i + 1) + ": unknown operation '" + parts[0]
                        + "'; use put KEY VALUE or delete KEY (put@VERSION / delete@VERSION for conditional)");
            }
        }
        Limits.checkBatch(out);
        return out;
    }
}
