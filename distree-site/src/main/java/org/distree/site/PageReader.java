package org.distree.site;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Text;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.QueryParser;
import org.jspecify.annotations.Nullable;

/**
 * Reads one file of a site as a {@link Page}. Every file is untrusted: a file over the size
 * limit, one that looks binary, or one whose bytes do not decode in its charset is refused with
 * a {@link PageSkippedException} naming the reason, never a crash.
 *
 * <p>The charset is the one a byte order mark gives, else the one the page declares ({@code
 * <meta charset>}, {@code http-equiv} or an XML declaration), else UTF-8; bytes are decoded
 * strictly, so a page in an undeclared legacy encoding is skipped rather than indexed as garbage.
 * Title and text come from jsoup: the text is what a browser shows of {@code <title>} and {@code
 * <body>} (scripts and styles are not text).
 */
public final class PageReader {
    /** The largest page size limit: 1 GiB (a page is read into one array). */
    public static final long MAX_PAGE_BYTES = 1L << 30;

    /** The default page size limit: 8 MiB. */
    public static final long DEFAULT_MAX_PAGE_BYTES = 8L << 20;

    /**
     * The default snippet length: 100 characters. Every entry of a page repeats it, so it is the
     * largest part of a tree after the links.
     */
    public static final int DEFAULT_SNIPPET_CHARS = 100;

    /** The longest snippet: 400 characters. */
    public static final int MAX_SNIPPET_CHARS = 400;

    private static final int SNIFF_BYTES = 4096;
    // The queries the reader runs on every page, parsed once.
    private static final Evaluator HEADING = QueryParser.parse("h1, h2, h3");
    private static final Evaluator ANY_HEADING = QueryParser.parse("h1, h2, h3, h4, h5, h6");
    private static final Evaluator DESCRIPTION =
            QueryParser.parse("meta[name=description][content]");
    private static final Evaluator MAIN = QueryParser.parse("main, article, [role=main]");
    private static final Evaluator PARAGRAPH = QueryParser.parse("p");
    private static final Evaluator AROUND_CONTENT = QueryParser.parse("nav, header, footer");
    private static final int MIN_SUMMARY_CHARS = 40;
    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern XML_ENCODING =
            Pattern.compile("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)");

    private final String baseUrl;
    private final long maxBytes;
    private final int snippetChars;

    /**
     * A reader for pages published under {@code baseUrl}.
     *
     * @param maxBytes files over this many bytes are skipped
     * @param snippetChars the snippet's length in characters; 0 for no snippet
     * @throws IllegalArgumentException if the base URL is not an absolute http, https or file URL
     */
    public PageReader(String baseUrl, long maxBytes, int snippetChars) {
        this.baseUrl = normalizeBaseUrl(baseUrl);
        if (maxBytes < 1 || maxBytes > MAX_PAGE_BYTES) {
            throw new IllegalArgumentException(
                    "page size limit " + maxBytes + " is outside 1.." + MAX_PAGE_BYTES);
        }
        if (snippetChars < 0 || snippetChars > MAX_SNIPPET_CHARS) {
            throw new IllegalArgumentException(
                    "snippet length " + snippetChars + " is outside 0..400 characters");
        }
        this.maxBytes = maxBytes;
        this.snippetChars = snippetChars;
    }

    /** The base URL with a final {@code /}, checked. */
    public static String normalizeBaseUrl(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "base URL '" + Keys.abbreviate(url, 80) + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute()
                || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))
                || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException("base URL '" + Keys.abbreviate(url, 80)
                    + "' must be an absolute http, https or file URL with no query or fragment");
        }
        String s = u.toASCIIString();
        return s.endsWith("/") ? s : s + "/";
    }

    /** The base URL pages are published under, ending in {@code /}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The public URL of the page at {@code path} (relative, {@code /}-separated). */
    public String linkFor(String path) throws PageSkippedException {
        String link;
        try {
            link = baseUrl + new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new PageSkippedException(path, "its path cannot be made a URL: " + e.getReason());
        }
        if (Keys.utf8Length(link) > Entry.MAX_LINK_BYTES) {
            throw new PageSkippedException(
                    path,
                    String.format(
                            Locale.ROOT,
                            "its URL is %,d bytes, over the %,d byte link limit",
                            Keys.utf8Length(link),
                            Entry.MAX_LINK_BYTES));
        }
        return link;
    }

    /** Reads a file's bytes, refusing one over the size limit or not a plain file. */
    public byte[] readBytes(Path file, String path) throws PageSkippedException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new PageSkippedException(path, "not a plain file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new PageSkippedException(
                        path,
                        String.format(
                                Locale.ROOT,
                                "%,d bytes, over the %,d byte page limit (--max-page-bytes)",
                                size,
                                maxBytes));
            }
            try (InputStream in = Files.newInputStream(file)) {
                // Read into an array of the size measured, then check for one byte more: the
                // file may have changed since it was measured.
                byte[] bytes = new byte[(int) size];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n < bytes.length) {
                    return java.util.Arrays.copyOf(bytes, n); // shrank while read
                }
                int next = in.read();
                if (next < 0) {
                    return bytes;
                }
                // Grew: take the rest, up to one byte past the limit.
                byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes - size));
                if (size + 1 + rest.length > maxBytes) {
                    throw new PageSkippedException(path, "grew over the page limit while read");
                }
                byte[] all = java.util.Arrays.copyOf(bytes, (int) size + 1 + rest.length);
                all[(int) size] = (byte) next;
                System.arraycopy(rest, 0, all, (int) size + 1, rest.length);
                return all;
            }
        } catch (IOException e) {
            throw new PageSkippedException(path, "cannot be read: " + e);
        }
    }

    /** {@code sha256-} and the base64 SHA-256 of the bytes. */
    public static String digest(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Parses a page's bytes (see the class comment for how the charset is found). */
    public Page parse(String path, byte[] bytes) throws PageSkippedException {
        String link = linkFor(path);
        String html = decode(path, bytes);
        Document doc;
        try {
            doc = Jsoup.parse(html, link);
        } catch (RuntimeException e) {
            throw new PageSkippedException(path, "cannot be parsed as HTML: " + e.getMessage());
        }
        // The words of jsoup's text, without its whitespace collapsing (see PageText); what
        // Text.normalize would change (blanks, control characters) separates words as well, so
        // the keys are the same without the scan.
        String body = PageText.of(doc.body());
        String title = Text.normalize(doc.title());
        if (title.isEmpty()) {
            Element h = doc.selectFirst(HEADING);
            title = h == null ? "" : Text.normalize(h.text());
        }
        if (title.isEmpty()) {
            title = path;
        }
        String snippet = snippet(summary(doc));
        StringBuilder headings = new StringBuilder();
        for (Element h : doc.body().select(ANY_HEADING)) {
            headings.append(PageText.of(h)).append('\n');
        }
        return new Page(
                path,
                link,
                fit(title, Entry.MAX_TITLE_BYTES),
                snippet,
                title + "\n" + body,
                headings.toString(),
                digest(bytes));
    }

    /**
     * What a page is about, for its snippet: its meta description, else the first paragraph of
     * its main content long enough to say something, else the start of its text.
     */
    private static String summary(Document doc) {
        // One walk finds what three selects found: the first description (the walk stops there
        // unless it is blank), the first main element, and the paragraphs in document order.
        Element[] first = new Element[2]; // description, main
        List<Element> paragraphs = new ArrayList<>();
        NodeTraversor.filter(
                new NodeFilter() {
                    @Override
                    public FilterResult head(Node node, int depth) {
                        if (node instanceof Element e) {
                            if (first[0] == null && DESCRIPTION.matches(doc, e)) {
                                first[0] = e;
                                if (!e.attr("content").isBlank()) {
                                    return FilterResult.STOP;
                                }
                            }
                            if (first[1] == null && MAIN.matches(doc, e)) {
                                first[1] = e;
                            }
                            if (PARAGRAPH.matches(doc, e)) {
                                paragraphs.add(e);
                            }
                        }
                        return FilterResult.CONTINUE;
                    }

                    @Override
                    public FilterResult tail(Node node, int depth) {
                        return FilterResult.CONTINUE;
                    }
                },
                doc);
        Element description = first[0];
        if (description != null && !description.attr("content").isBlank()) {
            return Text.normalize(description.attr("content"));
        }
        Element within = first[1] != null ? first[1] : doc.body();
        for (Element p : paragraphs) {
            if (isWithin(p, within) && p.closest(AROUND_CONTENT) == null) {
                String text = Text.normalize(p.text());
                if (text.length() >= MIN_SUMMARY_CHARS) {
                    return text;
                }
            }
        }
        // The start of the text is enough for a snippet; normalizing it may shorten it.
        String body = doc.body().text();
        return Text.normalize(body.substring(0, Math.min(body.length(), 4 * MAX_SNIPPET_CHARS)));
    }

    /** True when {@code e} is {@code root} or lies inside it. */
    private static boolean isWithin(Element e, Element root) {
        for (Element a = e; a != null; a = a.parent()) {
            if (a.equals(root)) {
                return true;
            }
        }
        return false;
    }

    private String snippet(String text) {
        if (snippetChars == 0 || text.isEmpty()) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= snippetChars) {
            return fit(text, Entry.MAX_COMMENT_BYTES);
        }
        int end = text.offsetByCodePoints(0, snippetChars);
        int space = text.lastIndexOf(' ', end);
        if (space > end / 2) {
            end = space;
        }
        return fit(text.substring(0, end).strip() + "…", Entry.MAX_COMMENT_BYTES);
    }

    /** {@code s} cut at a code point so that it is at most {@code maxBytes} of UTF-8. */
    static String fit(String s, int maxBytes) {
        if (Keys.utf8Length(s) <= maxBytes) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 3; // the ellipsis
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
    }

    private static String decode(String path, byte[] bytes) throws PageSkippedException {
        int skip = 0;
        Charset charset = null;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            skip = 3;
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        }
        boolean declared = charset != null;
        if (charset == null) {
            for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
                if (bytes[i] == 0) {
                    throw new PageSkippedException(path, "looks binary (it holds NUL bytes)");
                }
            }
            String name = declaredCharset(bytes);
            if (name != null) {
                try {
                    charset = Charset.forName(name);
                    declared = true;
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new PageSkippedException(
                            path,
                            "declares the unknown charset '" + Keys.abbreviate(name, 40) + "'");
                }
            } else {
                charset = StandardCharsets.UTF_8;
            }
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            // The common case, without a decoder: a String made from bytes that are not UTF-8
            // holds U+FFFD where they were; one without it was made from valid UTF-8.
            String text = new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') < 0) {
                return text;
            }
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PageSkippedException(
                    path,
                    "is not valid " + charset.name()
                            + (declared ? "" : " and declares no other charset"));
        }
    }

    private static @Nullable String declaredCharset(byte[] bytes) {
        String head = new String(
                bytes, 0, Math.min(bytes.length, SNIFF_BYTES), StandardCharsets.ISO_8859_1);
        Matcher m = XML_ENCODING.matcher(head);
        if (m.find()) {
            return m.group(1);
        }
        m = META_CHARSET.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
