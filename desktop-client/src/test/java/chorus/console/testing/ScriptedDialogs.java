package chorus.console.testing;

import chorus.console.viewmodel.DialogService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Answers every confirmation as told and keeps the questions asked, so that tests can read them. */
public final class ScriptedDialogs implements DialogService {

    public boolean answer = true;
    public final List<String> asked = new ArrayList<>();

    @Override
    public boolean confirm(String title, String question) {
        asked.add(title + ": " + question);
        return answer;
    }

    @Override
    public Optional<String> confirmWithNote(String title, String question) {
        asked.add(title + ": " + question);
        return answer ? Optional.of("") : Optional.empty();
    }
}
