package chorus.server.protocol;

import chorus.api.model.Mutation;
import java.util.List;

/** Short text forms of mutations for events and logs. */
final class Summaries {

    private static final int SHOWN = 5;

    private Summaries() {
    }

    static List<String> keys(List<Mutation> mutations) {
        return mutations.stream().map(Mutation::key).toList();
    }

    static String operation(List<Mutation> mutations) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN, mutations.size()); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shorten(mutations.get(i).toString()));
        }
        if (mutations.size() > SHOWN) {
            sb.append(", ... (+").append(mutations.size() - SHOWN).append(" more)");
        }
        return sb.toString();
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static String replicas(List<Integer> ids) {
        if (ids.size() == 1) {
            return "replica " + ids.get(0);
        }
        StringBuilder sb = new StringBuilder("replicas ");
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : i == ids.size() - 1 ? " and " : ", ").append(ids.get(i));
        }
        return sb.toString();
    }
}
