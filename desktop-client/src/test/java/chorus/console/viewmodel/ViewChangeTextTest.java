package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons as the replicas write them (chorus.server.membership.Membership and ViewProposer). */
class ViewChangeTextTest {

    @Test
    void theProposersRecordNamesWhoProposedWhoAgreedAndWhy() {
        assertThat(ViewChangeText.parse("epoch 2 {1,2,4,5} agreed by replicas 1, 2, 4: exclude replica 3 (proposed by replica 2)"))
                .contains(new ViewChangeText(2, List.of(1, 2, 4, 5), 2, List.of(1, 2, 4), "exclude replica 3", 0, false));
    }

    @Test
    void anEarlierProposalFinishedByAnotherReplicaNamesTheOneThatFinishedIt() {
        ViewChangeText t = ViewChangeText.parse("epoch 3 {1,2,5} agreed by replicas 1, 2, 5: a view accepted earlier for epoch 3, "
                + "finished by replica 5 before exclude replica 2").orElseThrow();
        assertThat(t.proposer()).isEqualTo(5);
        assertThat(t.change()).isEqualTo("a view accepted earlier for epoch 3, finished by replica 5 before exclude replica 2");
    }

    @Test
    void aReplicaThatLearnsTheViewSaysWhetherItIsAMember() {
        assertThat(ViewChangeText.parse("replica 5 now knows epoch 2 {1,2,4,5}; it is a member"))
                .contains(new ViewChangeText(2, List.of(1, 2, 4, 5), 0, List.of(), "", 5, true));
        assertThat(ViewChangeText.parse("replica 3 now knows epoch 2 {1,2,4,5}; it is excluded: it serves no reads or writes "
                + "until readmitted")).hasValueSatisfying(t -> assertThat(t.member()).isFalse());
        assertThat(ViewChangeText.parse("something else")).isEmpty();
    }
}
