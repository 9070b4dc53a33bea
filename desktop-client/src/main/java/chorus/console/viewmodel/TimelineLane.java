package chorus.console.viewmodel;

import java.util.List;

/** A replica's lane in a transaction's timeline. */
public record TimelineLane(int replica, boolean coordinator, List<TimelineMark> marks) {

    public TimelineLane {
        marks = List.copyOf(marks);
    }
}
