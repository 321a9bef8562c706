import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.distree.archive.Surt;

/**
 * A synthetic but realistic CDXJ index for bench/cdx-lookup.sh, unsorted (the script sorts it
 * with {@code LC_ALL=C sort}):
 *
 * <pre>
 * java -cp search-cli/target/distree.jar bench/GenCdxj.java CAPTURES OUT [SEED]
 * </pre>
 *
 * <p>What it holds: hosts of very different sizes (a host's share of the URLs falls as 1/rank,
 * over 20,000 hosts, a third of them with {@code www.}, some on subdomains and ports); paths of 1
 * to 6 segments from a vocabulary, with slugs, dates, ids and file types, a quarter with a query
 * of 1 to 4 parameters (unsorted, as crawled), a few long tracking queries, so that URLs run from
 * about 20 to about 300 characters and about half of the SURTs are longer than the 49 bytes a key
 * keeps whole; each URL captured 1 to 30 times (geometric, mean about 4) at times spread over
 * 2004 to 2025; mostly 200s, with revisits, redirects and 404s, as a crawl sees them. The SURT is
 * Distree's {@link Surt#of}, so that a lookup by URL asks for the line's own SURT; the JSON block
 * is what {@code warcio cdx-index} writes (url, mime, status, digest, length, offset, filename).
 */
public final class GenCdxj {
    private static final String[] WORDS = {
        "news", "about", "blog", "docs", "api", "products", "search", "archive", "2019", "en",
        "de", "fr", "help", "support", "category", "tag", "article", "post", "user", "profile",
        "images", "static", "media", "files", "download", "events", "press", "research",
        "library", "collections", "item", "view", "page", "index", "reference", "guide", "manual",
        "release-notes", "changelog", "community", "forum", "topic", "thread", "wiki", "faq",
        "contact", "jobs", "team", "history", "policy", "privacy", "terms", "sitemap", "feed"
    };
    private static final String[] TLDS = {
        "com", "org", "net", "edu", "gov", "de", "fr", "uk", "nl", "io", "info", "jp", "br", "it"
    };
    private static final String[] EXT = {"", "", "", ".html", ".html", ".htm", ".php", ".pdf",
        ".jpg", ".png", ".css", ".js", "/"};
    private static final String[] PARAMS = {"id", "page", "q", "lang", "sort", "ref", "s",
        "utm_source", "utm_medium", "utm_campaign", "session", "start", "type", "format"};
    private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private GenCdxj() {}

    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args[0]);
        Path out = Path.of(args[1]);
        Random r = new Random(args.length > 2 ? Long.parseLong(args[2]) : 17);
        int hosts = 20_000;
        String[] host = new String[hosts];
        for (int i = 0; i < hosts; i++) {
            host[i] = host(r, i);
        }
        // Zipf-like: host k is drawn with weight 1/(k+1).
        double[] cum = new double[hosts];
        double sum = 0;
        for (int i = 0; i < hosts; i++) {
            sum += 1.0 / (i + 1);
            cum[i] = sum;
        }
        long written = 0;
        long offset = 0;
        int file = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            while (written < total) {
                double x = r.nextDouble() * sum;
                int lo = 0;
                int hi = hosts - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cum[mid] < x) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                String url = url(r, host[lo]);
                String surt = Surt.of(url);
                int captures = 1;
                while (captures < 30 && r.nextDouble() < 0.75) {
                    captures++;
                }
                long t0 = 1072915200L; // 2004-01-01
                long span = 22L * 365 * 86400;
                for (int c = 0; c < captures && written < total; c++) {
                    long t = t0 + (long) (r.nextDouble() * span);
                    String ts = java.time.format.DateTimeFormatter.ofPattern(
                                    "yyyyMMddHHmmss", Locale.ROOT)
                            .withZone(java.time.ZoneOffset.UTC)
                            .format(java.time.Instant.ofEpochSecond(t));
                    double kind = r.nextDouble();
                    String mime = mime(url);
                    String status = "200";
                    if (kind < 0.25) {
                        mime = "warc/revisit";
                    } else if (kind < 0.30) {
                        status = "301";
                        mime = "text/html";
                    } else if (kind < 0.34) {
                        status = "404";
                        mime = "text/html";
                    }
                    StringBuilder digest = new StringBuilder(32);
                    for (int i = 0; i < 32; i++) {
                        digest.append(B32.charAt(r.nextInt(32)));
                    }
                    long length = 300 + (long) (r.nextDouble() * r.nextDouble() * 60_000);
                    if (offset > 1_000_000_000L) {
                        offset = 0;
                        file++;
                    }
                    String name = String.format(
                            Locale.ROOT, "CRAWL-%s-%05d.warc.gz", ts.substring(0, 8), file);
                    String json = "{\"url\":" + quote(url) + ",\"mime\":\"" + mime
                            + "\",\"status\":\"" + status + "\",\"digest\":\"" + digest
                            + "\",\"length\":\"" + length + "\",\"offset\":\"" + offset
                            + "\",\"filename\":\"" + name + "\"}";
                    offset += length;
                    w.write(surt + " " + ts + " " + json);
                    w.write('\n');
                    written++;
                }
            }
        }
    }

    private static String host(Random r, int i) {
        StringBuilder h = new StringBuilder();
        double p = r.nextDouble();
        if (p < 0.33) {
            h.append("www.");
        } else if (p < 0.45) {
            h.append(WORDS[r.nextInt(WORDS.length)]).append('.');
        }
        h.append(WORDS[r.nextInt(WORDS.length)]).append(WORDS[r.nextInt(WORDS.length)]);
        h.append(i).append('.').append(TLDS[r.nextInt(TLDS.length)]);
        if (r.nextDouble() < 0.02) {
            h.append(":8080");
        }
        return (r.nextDouble() < 0.6 ? "https://" : "http://") + h;
    }

    private static String url(Random r, String host) {
        StringBuilder u = new StringBuilder(host);
        int depth = 1 + r.nextInt(r.nextDouble() < 0.3 ? 6 : 3);
        for (int d = 0; d < depth; d++) {
            u.append('/');
            double p = r.nextDouble();
            if (p < 0.55) {
                u.append(WORDS[r.nextInt(WORDS.length)]);
            } else if (p < 0.75) {
                // A slug of a few words, as blogs and news sites make.
                int n = 2 + r.nextInt(7);
                for (int i = 0; i < n; i++) {
                    u.append(i == 0 ? "" : "-").append(WORDS[r.nextInt(WORDS.length)]);
                }
            } else if (p < 0.9) {
                u.append(r.nextInt(100_000));
            } else {
                u.append(2004 + r.nextInt(22)).append('/').append(1 + r.nextInt(12));
            }
        }
        u.append(EXT[r.nextInt(EXT.length)]);
        if (r.nextDouble() < 0.25) {
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                u.append(i == 0 ? '?' : '&').append(PARAMS[r.nextInt(PARAMS.length)]).append('=');
                u.append(r.nextDouble() < 0.5 ? WORDS[r.nextInt(WORDS.length)] : "" + r.nextInt(1000));
            }
            if (r.nextDouble() < 0.05) {
                u.append("&fbclid=");
                for (int i = 0; i < 60; i++) {
                    u.append(B32.charAt(r.nextInt(32)));
                }
            }
        }
        return u.toString();
    }

    private static String mime(String url) {
        if (url.contains(".pdf")) {
            return "application/pdf";
        } else if (url.contains(".jpg")) {
            return "image/jpeg";
        } else if (url.contains(".png")) {
            return "image/png";
        } else if (url.contains(".css")) {
            return "text/css";
        } else if (url.contains(".js")) {
            return "application/javascript";
        }
        return "text/html";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
