package org.distree.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * The own entries of a {@link Simulation}'s machines, drawn from the seed in the order the
 * machines join: each machine gets {@link Config#entriesPerMachine} entries (0 to 10,000,000)
 * drawn as the maintainer tests draw theirs (a key of 2 to 12 random lowercase letters,
 * uniform; a link under {@code https://example.org/} ending in {@code /m<i>}, {@code i} the
 * machine's index from 0; a comment of random words, about 40 characters), so a seed gives the
 * entries the
 * maintenance benchmark's ring of the same seed had. With {@link Config#zipf} above 0 the keys
 * are drawn by Zipf's law from a vocabulary of as many random words as the first machines'
 * entries (at least one), drawn once from the seed; the links and comments as before. Not
 * thread-safe: the simulation's own thread draws.
 */
final class EntryDraws {
    /** Draws the entries, the setup's first, then the new machines'. */
    private final Random draws;

    private final @Nullable Zipf zipf;
    private final int perMachine;

    EntryDraws(Config config) {
        this.zipf = config.zipf() > 0
                ? new Zipf(
                        vocabulary(config.machines() * config.entriesPerMachine(), config.seed()),
                        config.zipf())
                : null;
        this.draws = new Random(config.seed());
        this.perMachine = config.entriesPerMachine();
    }

    /** The own entries of machine {@code i}, the next draws of the seed. */
    List<Entry> next(int i) {
        List<Entry> own = new ArrayList<>();
        for (int k = 0; k < perMachine; k++) {
            own.add(entry(draws, i, zipf));
        }
        return own;
    }

    /**
     * An entry as the maintainer tests draw one ({@code Trees.entry}, then the machine's suffix
     * on the link): the same draws from {@code random}, so a seed gives the same entries.
     */
    private static Entry entry(Random random, int machine, @Nullable Zipf zipf) {
        String w = word(random);
        String link = "https://example.org/" + w + "/" + Integer.toHexString(random.nextInt());
        StringBuilder comment = new StringBuilder();
        while (comment.length() < 40) {
            comment.append(word(random)).append(' ');
        }
        String key = zipf == null ? w : zipf.next(random);
        return Entry.of(key, link + "/m" + machine, "", comment.toString().strip());
    }

    /** {@code n} distinct random words (at least one), from their own draws of the seed. */
    private static List<String> vocabulary(int n, long seed) {
        Random random = new Random(seed * 17 + 3);
        Set<String> words = new LinkedHashSet<>();
        while (words.size() < Math.max(1, n)) {
            words.add(word(random));
        }
        return new ArrayList<>(words);
    }

    private static String word(Random random) {
        int n = 2 + random.nextInt(11);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
