package chorus.chaos;

import java.util.List;

/** Something the checks found wrong, with the smallest history that shows it (may be empty). */
public record Anomaly(String check, String message, List<String> witness) {

    public Anomaly {
        witness = List.copyOf(witness);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(check).append(": ").append(message);
        for (String line : witness) {
            sb.append(System.lineSeparator()).append("    ").append(line);
        }
        return sb.toString();
    }
}
