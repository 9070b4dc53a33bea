package chorus.console.view;

import chorus.console.viewmodel.TxState;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.shape.SVGPath;

/**
 * A distinct shape per transaction state, so that colour is never the only cue: a tick for
 * committed, a cross for aborted, a half disc for prepared, an hourglass for timed out, a diamond
 * for in doubt, a bar for a NO vote, a triangle for started.
 */
public final class StateIcons {

    private StateIcons() {
    }

    public static Node icon(TxState s) {
        SVGPath p = new SVGPath();
        shape(p, s);
        return p;
    }

    private static void shape(SVGPath p, TxState s) {
        p.setContent(switch (s) {
            case COMMITTED -> "M1,8 L3,6 L6,9 L13,2 L15,4 L6,13 Z";
            case ABORTED -> "M2,4 L4,2 L8,6 L12,2 L14,4 L10,8 L14,12 L12,14 L8,10 L4,14 L2,12 L6,8 Z";
            case PREPARED -> "M8,1 A7,7 0 1,0 8,15 Z M8,3 A5,5 0 0,1 8,13 L8,15 A7,7 0 0,0 8,1 Z";
            case TIMED_OUT -> "M2,1 L14,1 L9,8 L14,15 L2,15 L7,8 Z";
            case IN_DOUBT -> "M8,1 L15,8 L8,15 L1,8 Z";
            case UNREACHABLE -> "M1,6 L6,6 L6,10 L1,10 Z M10,6 L15,6 L15,10 L10,10 Z";
            case VOTED_NO -> "M1,6 L15,6 L15,10 L1,10 Z";
            case STARTED -> "M3,1 L14,8 L3,15 Z";
        });
        p.getStyleClass().setAll("state-icon", s.styleClass());
    }

    /** A label with the state's icon, text and style class. */
    public static Label label(TxState s) {
        Label l = new Label(s.label(), icon(s));
        l.getStyleClass().addAll("state-label", s.styleClass());
        return l;
    }

    /**
     * Applies a state to an existing labelled cell, reusing its icon node: table cells are updated
     * at every scroll step, and a new node each time would cost a CSS pass each.
     */
    public static void apply(javafx.scene.control.Labeled cell, TxState s) {
        String wanted = s == null ? null : s.styleClass();
        if (wanted != null && cell.getStyleClass().contains(wanted) && cell.getGraphic() != null) {
            return; // already showing this state
        }
        cell.getStyleClass().removeIf(c -> c.startsWith("tx-"));
        if (s == null) {
            cell.setText("");
            cell.setGraphic(null);
        } else {
            cell.setText(s.label());
            if (cell.getGraphic() instanceof SVGPath p) {
                shape(p, s);
            } else {
                cell.setGraphic(icon(s));
            }
            cell.getStyleClass().add(s.styleClass());
        }
    }
}
