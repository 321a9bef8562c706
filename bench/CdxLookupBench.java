import java.io.BufferedReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.distree.analysis.KeyAnalyzer;
import org.distree.archive.Capture;
import org.distree.archive.CaptureQuery;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.query.Query;

/**
 * The issue 17 lookup benchmark: the captures of one URL in an index of many captures, over
 * HTTP from one nginx, by the crawler's search of the tree against a binary search with HTTP
 * Range requests over the sorted CDXJ file. bench/cdx-lookup.sh sets it up and runs it:
 *
 * <pre>
 * java -cp search-cli/target/distree.jar bench/CdxLookupBench.java \
 *     TREE_URL CDXJ_URL CDXJ_FILE ACCESS_LOG [URLS] [BLOCKS]
 * </pre>
 *
 * <p>Requests and bytes are counted by nginx (its access log, {@code $bytes_sent}: status line,
 * headers and body; and {@code $body_bytes_sent}), for both methods alike, one lookup at a time.
 * URLS (default 200) URLs are drawn at random from the CDXJ file's lines (so a URL with more
 * captures is likelier, as a reader's would be); every answer of both methods is checked against
 * the lines of that URL's SURT in the file, in order.
 *
 * <p>The distree lookup is what {@code distree cdx TREE URL} runs: {@link CaptureQuery} for the
 * URL, its key query walked by the crawler's {@link Searcher} from the entry page, then {@link
 * CaptureQuery#select}. robots.txt is not asked for (it would be one request per host per
 * client, 404 here). The baseline is a plain binary search over byte offsets (below), with
 * blocks of BLOCKS bytes (default 1024,4096,16384: each size a run of its own).
 */
public final class CdxLookupBench {
    private CdxLookupBench() {}

    public static void main(String[] args) throws Exception {
        URI tree = URI.create(args[0]);
        URI cdxj = URI.create(args[1]);
        Path file = Path.of(args[2]);
        Path log = Path.of(args[3]);
        int n = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int[] blocks = Arrays.stream(
                        (args.length > 5 ? args[5] : "1024,4096,16384").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        Map<String, String> urls = sample(file, n, new Random(17));
        Map<String, List<String>> expected = expected(file, urls.values());
        AccessLog access = new AccessLog(log);

        List<String> rows = new ArrayList<>();
        try (Searcher searcher = new Searcher(CrawlConfig.defaults().withRobots(false))) {
            long[][] m = new long[4][n];
            int i = 0;
            for (Map.Entry<String, String> u : urls.entrySet()) {
                access.mark();
                CaptureQuery q = CaptureQuery.parse(Map.of("url", u.getKey())::get, 0);
                long t0 = System.nanoTime();
                SearchResult r = searcher.search(request(List.of(tree), q.keyQuery())
                        .withAnalyzer(KeyAnalyzer.NONE));
                List<String> got = new ArrayList<>();
                List<Entry> found = new ArrayList<>();
                for (SearchResult.Hit h : r.hits()) {
                    found.add(h.entry());
                }
                for (Capture c : q.select(found)) {
                    got.add(c.line());
                }
                long micros = (System.nanoTime() - t0) / 1000;
                check("distree", u.getKey(), got, expected.get(u.getValue()));
                long[] reqs = access.since(r.stats().fetches());
                if (reqs[0] != r.stats().fetches()) {
                    throw new IllegalStateException("nginx logged " + reqs[0]
                            + " requests, the search made " + r.stats().fetches());
                }
                m[0][i] = reqs[0];
                m[1][i] = reqs[1];
                m[2][i] = reqs[2];
                m[3][i] = micros;
                i++;
            }
            rows.add(row("distree tree, crawler's search", m, expected, urls));
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int block : blocks) {
            long[][] m = new long[4][n];
            int i = 0;
            for (Map.Entry<String, String> u : urls.entrySet()) {
                access.mark();
                RangeSearch s = new RangeSearch(http, cdxj, block);
                long t0 = System.nanoTime();
                List<String> got = s.lookup(u.getValue() + " ");
                long micros = (System.nanoTime() - t0) / 1000;
                check("range " + block, u.getKey(), got, expected.get(u.getValue()));
                long[] reqs = access.since(s.requests);
                m[0][i] = reqs[0];
                m[1][i] = reqs[1];
                m[2][i] = reqs[2];
                m[3][i] = micros;
                i++;
            }
            rows.add(row("binary search, Range, " + block + " B blocks", m, expected, urls));
        }
        long size = Files.size(file);
        System.out.printf(
                Locale.ROOT,
                "%,d URLs looked up (%,d captures in all, median %d per URL); CDXJ %,d bytes;"
                        + " every answer checked against the file%n%n",
                urls.size(),
                expected.values().stream().mapToInt(List::size).sum(),
                median(expected.values().stream().mapToLong(List::size).toArray()),
                size);
        System.out.println("| method | requests: median (max) | bytes sent: median (max) |"
                + " of them body bytes: median | ms: median |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(
            String name, long[][] m, Map<String, List<String>> exp, Map<String, String> urls) {
        return String.format(
                Locale.ROOT,
                "| %s | %d (%d) | %,d (%,d) | %,d | %.1f |",
                name,
                median(m[0]),
                max(m[0]),
                median(m[1]),
                max(m[1]),
                median(m[2]),
                median(m[3]) / 1000.0);
    }

    private static void check(String who, String url, List<String> got, List<String> want) {
        if (!got.equals(want)) {
            throw new IllegalStateException(who + ": " + url + ": " + got.size()
                    + " lines, the file has " + want.size() + ": " + got + " vs " + want);
        }
    }

    /** The crawler's request for a key query, as {@code distree cdx} makes it. */
    private static SearchRequest request(List<URI> roots, Query q) {
        if (q.kind() == Query.Kind.PREFIX) {
            return SearchRequest.prefix(roots, q.text());
        }
        Bound low = q.range().low();
        Bound high = q.range().high();
        return SearchRequest.range(
                roots, low == null ? "" : low.key(), high == null ? "" : high.key());
    }

    /**
     * A binary search for the lines that start with {@code target} in a sorted file served over
     * HTTP, reading it only with {@code Range: bytes=a-b} requests of {@code block} bytes, the
     * way a client of a static CDXJ file would (as {@code look} does on a local file):
     *
     * <ol>
     *   <li>the first request reads the first block, and its {@code Content-Range} gives the
     *       file's size;
     *   <li>invariant: every line that starts before {@code lo} sorts before the target, and the
     *       first line that starts at or after {@code hi} does not (or there is none); {@code lo}
     *       is always a line start;
     *   <li>while {@code hi - lo} is over one block: read the block at {@code mid - 1}, take the
     *       first line that starts in it (reading on while the line is not whole) and move
     *       {@code lo} past it or {@code hi} to {@code mid};
     *   <li>then read from {@code lo} on, block after block, until a line sorts after the
     *       target: the lines that start with it are the answer.
     * </ol>
     *
     * Bytes compare as bytes ({@code LC_ALL=C sort}'s order).
     */
    static final class RangeSearch {
        final HttpClient http;
        final URI uri;
        final int block;
        int requests;
        long size = -1;

        RangeSearch(HttpClient http, URI uri, int block) {
            this.http = http;
            this.uri = uri;
            this.block = block;
        }

        List<String> lookup(String target) throws Exception {
            byte[] t = target.getBytes(StandardCharsets.UTF_8);
            byte[] first = read(0, block);
            long lo = 0;
            long hi = size;
            while (hi - lo > block) {
                long mid = lo + (hi - lo) / 2;
                // From mid - 1: the first line that starts at or after mid follows a newline at
                // or after mid - 1.
                byte[] b = read(mid - 1, block);
                int nl = indexOf(b, 0);
                while (nl < 0 && mid - 1 + b.length < size) {
                    b = concat(b, read(mid - 1 + b.length, block));
                    nl = indexOf(b, 0);
                }
                if (nl < 0) {
                    hi = mid; // no line starts after mid
                    continue;
                }
                int end = indexOf(b, nl + 1);
                while (end < 0 && mid - 1 + b.length < size) {
                    b = concat(b, read(mid - 1 + b.length, block));
                    end = indexOf(b, nl + 1);
                }
                if (end < 0) {
                    end = b.length;
                }
                if (compare(b, nl + 1, end, t) < 0) {
                    lo = mid - 1 + end + 1;
                } else {
                    hi = mid;
                }
            }
            // Scan from lo; the first block may be the one read first.
            List<String> out = new ArrayList<>();
            long pos = lo;
            byte[] b = lo == 0 ? first : read(lo, block);
            int at = 0;
            while (true) {
                int end = indexOf(b, at);
                if (end < 0) {
                    if (pos + b.length >= size) {
                        end = b.length;
                        if (at >= end) {
                            return out;
                        }
                    } else {
                        b = concat(Arrays.copyOfRange(b, at, b.length), read(pos + b.length, block));
                        pos += at;
                        at = 0;
                        continue;
                    }
                }
                int c = compare(b, at, end, t);
                if (startsWith(b, at, end, t)) {
                    out.add(new String(b, at, end - at, StandardCharsets.UTF_8));
                } else if (c > 0) {
                    return out;
                }
                at = end + 1;
                if (at >= b.length && pos + b.length >= size) {
                    return out;
                }
            }
        }

        private byte[] read(long from, int n) throws Exception {
            long to = Math.min(from + n, size < 0 ? from + n : size) - 1;
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .header("Range", "bytes=" + from + "-" + to)
                    .build();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            requests++;
            if (r.statusCode() != 206) {
                throw new IllegalStateException("Range " + from + "-" + to + ": " + r.statusCode());
            }
            if (size < 0) {
                String cr = r.headers().firstValue("Content-Range").orElseThrow();
                size = Long.parseLong(cr.substring(cr.indexOf('/') + 1));
            }
            return r.body();
        }

        private static int indexOf(byte[] b, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }

        private static int compare(byte[] b, int from, int to, byte[] t) {
            int n = Math.min(to - from, t.length);
            for (int i = 0; i < n; i++) {
                int d = (b[from + i] & 0xFF) - (t[i] & 0xFF);
                if (d != 0) {
                    return d;
                }
            }
            return (to - from) - t.length;
        }

        private static boolean startsWith(byte[] b, int from, int to, byte[] t) {
            return to - from >= t.length && compare(b, from, from + t.length, t) == 0;
        }
    }

    /** nginx's access log: {@code $status $bytes_sent $body_bytes_sent} per request. */
    static final class AccessLog {
        final Path path;
        long mark;

        AccessLog(Path path) {
            this.path = path;
        }

        void mark() throws Exception {
            mark = Files.size(path);
        }

        /**
         * Requests, bytes sent and body bytes logged since the mark, waiting (2 s at most) until
         * {@code expect} requests are logged: nginx logs a request once it has sent the answer.
         */
        long[] since(int expect) throws Exception {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (true) {
                long[] s = read();
                if (s[0] >= expect || System.nanoTime() > deadline) {
                    return s;
                }
                Thread.sleep(1);
            }
        }

        private long[] read() throws Exception {
            long[] s = new long[3];
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
                f.seek(mark);
                byte[] b = new byte[(int) (f.length() - mark)];
                f.readFully(b);
                for (String l : new String(b, StandardCharsets.US_ASCII).split("\n")) {
                    if (l.isBlank()) {
                        continue;
                    }
                    String[] p = l.split(" ");
                    s[0]++;
                    s[1] += Long.parseLong(p[1]);
                    s[2] += Long.parseLong(p[2]);
                }
            }
            return s;
        }
    }

    /** {@code n} distinct URLs drawn at random from the file's lines, each with its SURT. */
    private static Map<String, String> sample(Path file, int n, Random random) throws Exception {
        long lines;
        try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
            lines = s.count();
        }
        long[] picks = random.longs(n * 2L, 0, lines).sorted().distinct().toArray();
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long i = 0;
            int p = 0;
            String l;
            while ((l = in.readLine()) != null && p < picks.length) {
                if (i++ == picks[p]) {
                    p++;
                    Capture c = org.distree.archive.CdxjReader.parse(l);
                    out.putIfAbsent(c.url(), c.surt());
                }
            }
        }
        // Drawn in file order: shuffle, then keep n.
        List<String> keys = new ArrayList<>(out.keySet());
        java.util.Collections.shuffle(keys, random);
        Map<String, String> kept = new LinkedHashMap<>();
        for (String k : keys.subList(0, Math.min(n, keys.size()))) {
            kept.put(k, out.get(k));
        }
        return kept;
    }

    /** The lines of each SURT, in file order. */
    private static Map<String, List<String>> expected(Path file, java.util.Collection<String> surts)
            throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : surts) {
            out.put(s, new ArrayList<>());
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String l;
            while ((l = in.readLine()) != null) {
                List<String> lines = out.get(l.substring(0, l.indexOf(' ')));
                if (lines != null) {
                    lines.add(l);
                }
            }
        }
        return out;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
