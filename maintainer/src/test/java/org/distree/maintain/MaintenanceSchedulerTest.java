package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.distree.maintain.transport.HttpTransport;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceSchedulerTest {
    @TempDir
    Path dir;

    @Test
    void jobsRunOnMillisecondIntervalsUntilStopped() throws Exception {
        MaintainerConfig config = MaintainerConfig.of(
                dir,
                Map.of(
                        "sync-interval-ms",
                        "10",
                        "submit-interval-ms",
                        "10",
                        "link-check-interval-ms",
                        "10",
                        "rules-interval-ms",
                        "10"));
        Path state = dir.resolve(".distree/maintainer/state.json");
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC());
                HttpTransport transport =
                        new HttpTransport(config.fetchTimeout(), config.allowPrivate())) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            Maintainer m = new Maintainer(config, tree, transport, Clock.systemUTC());
            MaintenanceScheduler schedule = MaintenanceScheduler.start(m);
            try {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!Files.exists(state) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            } finally {
                schedule.close();
            }
        }
        // The sync job saved its state: the schedule ran it.
        assertThat(state).exists();
    }
}
