package org.distree.crawl;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.distree.model.Base32;
import org.jspecify.annotations.Nullable;

/**
 * Checks that what a result links to is what its digest says ({@code distree search --verify}),
 * so that a searcher can trust a copy served by any mirror: it fetches each link with the
 * crawler's one fetcher (its size cap, time limits, redirects and address policy; robots.txt is
 * not read, as for a link a person follows) and compares the digest of the bytes with the
 * entry's.
 *
 * <p>Digests it knows: {@code sha256-BASE64} (and {@code sha384-}, {@code sha512-}: the form of
 * an HTML {@code integrity} attribute, which {@code index-site} writes for a page), and a WARC
 * payload digest, {@code sha1:BASE32} (or {@code sha256:}, in base 32 or hex), which {@code
 * index-warc} writes for a capture: a capture's link must then serve the payload as it was
 * recorded (the live URL, or a replay URL that serves it unchanged, such as pywb's {@code id_}
 * mode). A link that is not http or https, a fetch that fails, a body over the size cap and a
 * digest of another form are reported as unchecked, never as a match.
 */
public final class Verifier implements AutoCloseable {
    /** What a check found. */
    public enum Outcome {
        /** The bytes have the digest the entry gives. */
        OK,
        /** The bytes have another digest: the copy is not what the entry vouched for. */
        MISMATCH,
        /** Nothing was compared: no digest, an unknown form, or a fetch that failed. */
        UNCHECKED
    }

    /**
     * One link checked.
     *
     * @param detail for a mismatch the digest of the bytes fetched (and their status when not
     *     2xx), for an unchecked link why; empty for a match
     */
    public record Check(String link, @Nullable String digest, Outcome outcome, String detail) {}

    private final Fetcher fetcher;

    /** A verifier fetching with these limits (the size cap is {@code maxResponseBytes}). */
    public Verifier(CrawlConfig config) {
        this.fetcher = new Fetcher(config);
    }

    /**
     * Checks each (link, digest) pair, fetching them at once within the fetcher's per-host and
     * total limits; the checks come back in the order given.
     */
    public List<Check> verify(List<String> links, List<@Nullable String> digests)
            throws InterruptedException {
        if (links.size() != digests.size()) {
            throw new IllegalArgumentException(
                    links.size() + " links and " + digests.size() + " digests");
        }
        List<@Nullable CompletableFuture<Page>> fetches = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            String digest = digests.get(i);
            URI url = parse(links.get(i));
            fetches.add(
                    digest == null || url == null || !known(digest)
                            ? null
                            : fetcher.get(url, fetcher.config().maxResponseBytes(), false));
        }
        List<Check> out = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            String link = links.get(i);
            String digest = digests.get(i);
            CompletableFuture<Page> f = fetches.get(i);
            if (digest == null) {
                out.add(new Check(link, null, Outcome.UNCHECKED, "no digest"));
            } else if (!known(digest)) {
                out.add(new Check(link, digest, Outcome.UNCHECKED, "a digest of an unknown form"));
            } else if (f == null) {
                out.add(new Check(link, digest, Outcome.UNCHECKED, "not an http or https link"));
            } else {
                try {
                    Page page = f.get();
                    String got = digestOf(digest, page.body());
                    boolean same = matches(digest, got);
                    String status =
                            page.status() / 100 == 2 ? "" : " (status " + page.status() + ")";
                    out.add(new Check(
                            link,
                            digest,
                            same ? Outcome.OK : Outcome.MISMATCH,
                            same ? "" : "fetched " + got + status));
                } catch (ExecutionException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    out.add(new Check(
                            link, digest, Outcome.UNCHECKED, String.valueOf(c.getMessage())));
                }
            }
        }
        return out;
    }

    private static @Nullable URI parse(String link) {
        try {
            URI u = URI.create(link);
            String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return s.equals("http") || s.equals("https") ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True for the digest forms this class computes. */
    static boolean known(String digest) {
        return algorithm(digest) != null;
    }

    /** The JCA name of a digest's algorithm, or null for a form not known. */
    private static @Nullable String algorithm(String digest) {
        String d = digest.toLowerCase(Locale.ROOT);
        if (d.startsWith("sha256-")) {
            return "SHA-256";
        }
        if (d.startsWith("sha384-")) {
            return "SHA-384";
        }
        if (d.startsWith("sha512-")) {
            return "SHA-512";
        }
        if (d.startsWith("sha1:")) {
            return "SHA-1";
        }
        if (d.startsWith("sha256:")) {
            return "SHA-256";
        }
        return null;
    }

    /**
     * The digest of {@code bytes} in the form of {@code like}: base 64 after a dash, base 32
     * after a colon (hex when {@code like} is hex).
     */
    static String digestOf(String like, byte[] bytes) {
        String algorithm = algorithm(like);
        if (algorithm == null) {
            throw new IllegalArgumentException("digest '" + like + "' is of an unknown form");
        }
        byte[] d;
        try {
            d = MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has " + algorithm, e);
        }
        int dash = like.indexOf('-');
        int colon = like.indexOf(':');
        if (colon < 0 || (dash >= 0 && dash < colon)) {
            return like.substring(0, dash) + "-" + Base64.getEncoder().encodeToString(d);
        }
        String label = like.substring(0, colon);
        String value = like.substring(colon + 1);
        if (value.length() == d.length * 2
                && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return label + ":" + HexFormat.of().formatHex(d);
        }
        return label + ":" + Base32.encode(d);
    }

    /** True when two digests of one form name the same bytes (base 32 and hex in any case). */
    static boolean matches(String expected, String got) {
        return expected.indexOf(':') >= 0 ? expected.equalsIgnoreCase(got) : expected.equals(got);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
