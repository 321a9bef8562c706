package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.distree.model.Entry;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintainCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run distree(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Distree.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void rulesJobOnAStaticTreeReportsACleanLint() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "Apples", "")));
        }
        Run r = distree("maintain", "--data", dir.toString(), "--job", "rules");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("rules:").contains("lint: clean");
    }

    @Test
    void everyJobRunsOnceOnAStaticTreeWithNoPeers() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "Apples", "")));
        }
        Run r = distree("maintain", "--data", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("sync:", "submit: no base-url", "link-check:", "rules:");
    }

    @Test
    void anUnknownJobIsAUsageErrorOnOneLine() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
        }
        Run r = distree("maintain", "--data", dir.toString(), "--job", "dance");
        assertThat(r.code()).isEqualTo(Distree.EXIT_USAGE);
        assertThat(r.err().strip())
                .isEqualTo("distree: unknown job 'dance' (one of sync,"
                        + " submit, link-check, rules)");
    }

    @Test
    void aFolderWithNoTreeFailsWithOneLine() {
        Run r = distree("maintain", "--data", dir.resolve("none").toString());
        assertThat(r.code()).isEqualTo(Distree.EXIT_FAILURE);
        assertThat(r.err()).startsWith("distree: no tree in").doesNotContain("Exception");
    }
}
