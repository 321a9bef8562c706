package org.distree.archive;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.distree.model.Entry;
import org.distree.model.Keys;

/**
 * Writes the entries of a capture index back as CDXJ, one line a capture, in CDXJ order (the
 * lines' code point order, which is {@code LC_ALL=C sort}'s byte order): so a CDXJ index built
 * into a tree comes back out line for line, sorted.
 *
 * <p>Key order is CDXJ order except within a run of keys that share a head ({@link CaptureKey}):
 * there a cut key sorts by its hash, and one URL's several links by link; so the lines of each
 * run are gathered and sorted before they are written. Memory holds one run (normally one URL's
 * captures; at most every capture whose SURT shares its first 40 bytes).
 */
public final class CdxjExport {
    private CdxjExport() {}

    /**
     * Writes every entry of {@code entries}, which come in key order, as CDXJ lines.
     *
     * @param name the tree's name, for messages
     * @return the number of lines written
     * @throws ArchiveException when an entry is not a capture (its key does not end in a space
     *     and 14 digits)
     */
    public static long write(Iterator<Entry> entries, Writer out, String name)
            throws IOException, ArchiveException {
        List<String> run = new ArrayList<>();
        String runKey = null;
        long n = 0;
        while (entries.hasNext()) {
            Entry e = entries.next();
            String surt = Capture.surtOf(e);
            if (surt == null) {
                throw new ArchiveException(
                        name,
                        "entry '" + Keys.abbreviate(e.key(), 60) + "'",
                        "not a capture: its key does not end in a space and a 14-digit"
                                + " timestamp");
            }
            String k = CaptureKey.run(e.key());
            if (!k.equals(runKey)) {
                n += flush(run, out);
                runKey = k;
            }
            String key = e.key();
            run.add(surt + " " + key.substring(key.length() - 14) + " " + e.comment());
        }
        n += flush(run, out);
        return n;
    }

    private static int flush(List<String> run, Writer out) throws IOException {
        run.sort(Keys.ORDER);
        for (String l : run) {
            out.write(l);
            out.write('\n');
        }
        int n = run.size();
        run.clear();
        return n;
    }
}
