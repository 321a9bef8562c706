package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitJobTest {
    @TempDir
    Path dir;

    @Test
    void aMachineThatKnowsNoOtherMachineHasNothingToSubmitTo() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(RulesJobTest.entries(3000));
            Maintainer m = new Maintainer(
                    MaintainerConfig.of(dir, Map.of("base-url", "http://127.0.0.1:9/")),
                    tree,
                    new RulesJobTest.Nowhere(),
                    Clock.systemUTC());
            JobReport r = m.run(Maintainer.Job.SUBMIT);
            assertThat(r.detail())
                    .isEqualTo("no other machine's node known yet: nothing to submit to");
            assertThat(r.fetches()).isZero();
        }
    }
}
