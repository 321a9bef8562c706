import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;

/**
 * The cost of LocalTree.insert alone, without HTTP: the same writes the daemon groups into one
 * transaction when 8 clients each POST 100 entries (800 entries: 8 runs of 100 consecutive keys,
 * or 800 random words made like bench/gen-entries.py's, so they land all over a tree built from
 * its output), ROUNDS transactions (default 12), durable or not. CHANGES the tree: give it a copy.
 *
 * usage: java -cp search-cli/target/distree.jar bench/LocalTreeInsert.java TREE sorted|random \
 *            true|false [ROUNDS]
 */
public class LocalTreeInsert {
    public static void main(String[] args) throws Exception {
        boolean sorted = args[1].equals("sorted");
        boolean durable = Boolean.parseBoolean(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        Random r = new Random(1);
        List<String> syllables = new ArrayList<>();
        for (char c : "bcdfghjklmnprstvwz".toCharArray()) {
            for (char v : "aeiou".toCharArray()) {
                syllables.add("" + c + v);
            }
        }
        syllables.addAll(List.of("an", "er", "in", "or", "st"));
        try (LocalTree t = LocalTree.open(NodeStore.open(Path.of(args[0]), durable),
                Clock.systemUTC())) {
            for (int round = 0; round < rounds; round++) {
                List<Entry> es = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    String stem = "stem" + r.nextInt(1_000_000);
                    for (int i = 0; i < 100; i++) {
                        StringBuilder word = new StringBuilder();
                        for (int k = 1 + r.nextInt(4); k > 0; k--) {
                            word.append(syllables.get(r.nextInt(syllables.size())));
                        }
                        String key = sorted ? String.format("%s-%03d", stem, i) : word.toString();
                        es.add(Entry.of(key, "https://x.example/" + round + "/" + s + "/" + i,
                                "Title", "bench entry comment text"));
                    }
                }
                long t0 = System.nanoTime();
                t.insert(es);
                double ms = (System.nanoTime() - t0) / 1e6;
                System.out.printf("%s durable=%s: 800 entries in %.0f ms (%.0f entries/s)%n",
                        args[1], durable, ms, 800 / ms * 1000);
            }
        }
    }
}
