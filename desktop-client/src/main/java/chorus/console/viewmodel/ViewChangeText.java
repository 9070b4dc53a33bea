package chorus.console.viewmodel;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a VIEW_CHANGED event's reason. The event carries no epoch or members of its own (it has no
 * transaction either): the replica writes them into the reason, in two forms, at the proposer
 * "epoch 2 {1,2,4,5} agreed by replicas 1, 2, 4: exclude replica 3 (proposed by replica 2)" and at
 * every replica that learns the view "replica 5 now knows epoch 2 {1,2,4,5}; it is a member". A
 * reason in neither form is shown as it is, on a row of its own.
 *
 * @param proposer   the replica that proposed (or finished) the change; 0 when the text does not say
 * @param agreedBy   the replicas that accepted it (the proposer's event only)
 * @param change     what the proposer was asked, for example "exclude replica 3"
 * @param learnedBy  the replica that recorded learning the view; 0 for the proposer's event
 * @param member     whether {@code learnedBy} is a member of the view
 */
record ViewChangeText(long epoch, List<Integer> members, int proposer, List<Integer> agreedBy, String change,
                      int learnedBy, boolean member) {

    private static final Pattern AGREED = Pattern.compile(
            "^epoch (\\d+) \\{([0-9,]*)\\} agreed by replicas ([0-9, ]+): (.*)$", Pattern.DOTALL);
    private static final Pattern LEARNED = Pattern.compile(
            "^replica (\\d+) now knows epoch (\\d+) \\{([0-9,]*)\\}; it is (.*)$", Pattern.DOTALL);
    private static final Pattern PROPOSED_BY = Pattern.compile("^(.*) \\(proposed by replica (\\d+)\\)$", Pattern.DOTALL);
    private static final Pattern FINISHED_BY = Pattern.compile("finished by replica (\\d+)");

    static Optional<ViewChangeText> parse(String reason) {
        Matcher m = AGREED.matcher(reason);
        if (m.matches()) {
            String why = m.group(4);
            int proposer = 0;
            Matcher p = PROPOSED_BY.matcher(why);
            if (p.matches()) {
                why = p.group(1);
                proposer = Integer.parseInt(p.group(2));
            } else {
                // Someone else's earlier proposal, finished by this replica before its own change.
                Matcher f = FINISHED_BY.matcher(why);
                proposer = f.find() ? Integer.parseInt(f.group(1)) : 0;
            }
            return Optional.of(new ViewChangeText(Long.parseLong(m.group(1)), ids(m.group(2)), proposer, ids(m.group(3)), why,
                    0, false));
        }
        m = LEARNED.matcher(reason);
        if (m.matches()) {
            return Optional.of(new ViewChangeText(Long.parseLong(m.group(2)), ids(m.group(3)), 0, List.of(), "",
                    Integer.parseInt(m.group(1)), m.group(4).startsWith("a member")));
        }
        return Optional.empty();
    }

    private static List<Integer> ids(String text) {
        return Arrays.stream(text.split("[, ]+")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }
}
