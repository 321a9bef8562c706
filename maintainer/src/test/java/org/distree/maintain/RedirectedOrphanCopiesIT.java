package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.distree.model.ChildRef;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Status;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three machines on real Jetty servers in a ring: B (this machine, the one whose link check
 * runs) links A's leaves; C is another origin. A file with an orphan copy is served either as
 * A's leaf itself, or by C or by B behind a {@code 302} from A's leaf. Only a file of the machine
 * the link names offers its orphan copies (LinkCheckJob): behind a redirect to another origin, or
 * to this machine, the copy is not adopted, while the redirected node is taken under the link's
 * own href like any fetched node.
 */
class RedirectedOrphanCopiesIT {
    /** A name none of the machines' trees uses; the servers serve {@code /n/<hex>.html}. */
    static final String ELSEWHERE = NodeStore.NODE_DIR + "/c0ffee.html";

    @TempDir
    Path dir;

    /** The machines and what B linked before the check. */
    record Setup(
            Cluster cluster,
            Cluster.Machine a,
            Cluster.Machine b,
            Cluster.Machine c,
            ChildRef link,
            String leaf,
            NodeFile cut) {}

    /**
     * B syncs and links A's leaves; {@code cut} is the leaf B links first as another
     * implementation might write it after a cut: its upper half moved to an orphan copy
     * ({@code theirs}, no {@code data-moved-to}) that keeps the rules. Nothing is written yet.
     */
    static Setup setUp(Cluster cluster) throws Exception {
        // Machine i's peer is machine i + 1: B (2) is told A's (0) root; C (1) serves files only.
        Cluster.Machine a = cluster.machines.get(0);
        Cluster.Machine c = cluster.machines.get(1);
        Cluster.Machine b = cluster.machines.get(2);
        a.tree.insert(OrphanCopiesIT.entries("a", 0, 1200, 2, 1));
        b.tree.insert(OrphanCopiesIT.entries("b", 1, 160, 2, 30));
        b.maintainer.run(Maintainer.Job.SYNC);
        List<ChildRef> linked = OrphanCopiesIT.remoteChildren(b.tree);
        assertThat(linked)
                .as("B's root links A's leaves")
                .isNotEmpty()
                .allMatch(l -> l.href().startsWith(a.base.toString()));
        ChildRef link = linked.get(0);
        String leaf =
                NodeStore.NODE_DIR + "/" + link.href().substring(link.href().lastIndexOf('/') + 1);
        List<Node> cut = OrphanCopiesIT.cutInTwo(a.tree.read(leaf));
        return new Setup(
                cluster, a, b, c, link, leaf, new NodeFile(cut.get(0), List.of(cut.get(1))));
    }

    static Cluster cluster(Path dir) throws Exception {
        return new Cluster(dir, 3, 0, 1, OrphanCopiesIT.OWN_CHECKS);
    }

    @Test
    void copiesInTheLinkedFileItselfAreAdopted() throws Exception {
        try (Cluster cluster = cluster(dir)) {
            Setup s = setUp(cluster);
            s.a().tree.store().begin().put(s.leaf(), s.cut()).commit();

            s.b().maintainer.run(Maintainer.Job.LINK_CHECK);
            assertThat(OrphanCopiesIT.remoteChildren(s.b().tree))
                    .extracting(ChildRef::href)
                    .contains(s.link().href(), s.link().href() + "#theirs");
            assertThat(s.cluster().lint(s.b()).violations()).isEmpty();
        }
    }

    @Test
    void copiesBehindARedirectToAnotherMachineAreNotAdopted() throws Exception {
        try (Cluster cluster = cluster(dir)) {
            Setup s = setUp(cluster);
            Cluster.Machine to = s.c();
            URI moved = redirect(s, to);

            JobReport check = s.b().maintainer.run(Maintainer.Job.LINK_CHECK);
            List<ChildRef> after = adoptedNothingFrom(s, to, moved);
            // The node the redirect ends at is checked like any fetched node: it keeps the
            // rules, so the link stays (its href as it was) and takes what that node holds.
            assertThat(after)
                    .filteredOn(l -> l.href().equals(s.link().href()))
                    .singleElement()
                    .satisfies(l -> {
                        assertThat(l.range()).isEqualTo(s.cut().node().range());
                        assertThat(l.size()).isEqualTo(s.cut().node().size());
                        assertThat(l.status()).isEqualTo(Status.OK);
                    });
            assertThat(check.detail()).contains("0 spliced out");
            assertThat(s.cluster().lint(s.b()).violations()).isEmpty();
        }
    }

    @Test
    void copiesBehindARedirectToThisMachineAreNotAdopted() throws Exception {
        try (Cluster cluster = cluster(dir)) {
            Setup s = setUp(cluster);
            Cluster.Machine to = s.b();
            URI moved = redirect(s, to);

            // Refused here as a file of another origin than the link's (A's); the check that the
            // file is not this machine's own matters for a link that names this machine itself.
            s.b().maintainer.run(Maintainer.Job.LINK_CHECK);
            List<ChildRef> after = adoptedNothingFrom(s, to, moved);
            assertThat(after)
                    .filteredOn(l -> l.href().equals(s.link().href()))
                    .extracting(ChildRef::range)
                    .containsExactly(s.cut().node().range());
            // The file put in B's folder for the test is reached from no root of B's; nothing
            // else breaks a rule.
            assertThat(s.cluster().lint(s.b()).violations())
                    .extracting(v -> v.where() + " " + v.rule())
                    .containsExactly(ELSEWHERE + " path-to-root");
        }
    }

    /** Puts the cut file on {@code to} and makes A answer the leaf's path with a redirect there. */
    private static URI redirect(Setup s, Cluster.Machine to) throws Exception {
        URI moved = to.base.resolve(ELSEWHERE);
        to.tree.store().begin().put(ELSEWHERE, s.cut()).commit();
        s.a().redirects.put("/" + s.leaf(), moved);
        return moved;
    }

    /** B's links to other machines after its link check: none to the copy, none to {@code to}. */
    private static List<ChildRef> adoptedNothingFrom(Setup s, Cluster.Machine to, URI moved)
            throws Exception {
        List<ChildRef> after = OrphanCopiesIT.remoteChildren(s.b().tree);
        assertThat(after)
                .extracting(ChildRef::href)
                .doesNotContain(moved + "#theirs", s.link().href() + "#theirs")
                .noneMatch(h -> h.startsWith(to.base.toString()));
        return after;
    }
}
