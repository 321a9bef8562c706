package org.distree.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Words drawn by Zipf's law: the word of rank {@code k} (1 first) with a probability in
 * proportion to {@code 1 / k^s}. With {@code s = 1}, about as natural language uses words: over
 * 10,000 words, the first is drawn about one time in ten. Immutable.
 */
final class Zipf {
    private final List<String> words;
    private final double[] cumulative;

    /**
     * @param words the vocabulary, most frequent first; at least one
     * @param exponent {@code s}, above 0
     */
    Zipf(List<String> words, double exponent) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a Zipf vocabulary needs at least one word");
        }
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("Zipf exponent " + exponent + " is not above 0");
        }
        this.words = List.copyOf(words);
        this.cumulative = new double[words.size()];
        double sum = 0;
        for (int k = 0; k < cumulative.length; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < cumulative.length; k++) {
            cumulative[k] /= sum;
        }
    }

    /** One word, drawn with one {@code random.nextDouble()}. */
    String next(Random random) {
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        int k = i >= 0 ? i : -i - 1;
        return words.get(Math.min(k, words.size() - 1));
    }
}
