package chorus.console.viewmodel;

import java.util.Optional;

/** The questions a view-model may ask the operator; the view answers them with dialogs, tests with fixed answers. */
public interface DialogService {

    /** True when the operator confirms {@code question}. */
    boolean confirm(String title, String question);

    /** A confirmation that also asks for a note to record; empty when the operator cancels. */
    Optional<String> confirmWithNote(String title, String question);
}
