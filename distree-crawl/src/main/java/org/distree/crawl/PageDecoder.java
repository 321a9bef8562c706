package org.distree.crawl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.NodeFile;
import org.jspecify.annotations.Nullable;

/**
 * Turns a fetched page into a node file: the charset comes from the Content-Type header, else
 * from a {@code <meta charset>} in the first 1,024 bytes, else UTF-8; bytes that are not valid in
 * that charset are refused, never replaced. Parsing itself is {@link NodeReader}'s.
 */
final class PageDecoder {
    private static final int META_SCAN_BYTES = 1024;
    private static final Pattern HEADER_CHARSET =
            Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");
    private static final Pattern META_CHARSET =
            Pattern.compile("(?i)<meta[^>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)");

    private PageDecoder() {}

    /** Parses the page's node file, naming it by its final URL in errors. */
    static NodeFile parse(Page page) throws NodeFormatException {
        String name = page.finalUrl().toString();
        Charset cs = charset(page.contentType(), page.body(), name);
        if (cs.equals(StandardCharsets.UTF_8)) {
            return NodeReader.read(page.body(), name);
        }
        try {
            String text = cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(page.body()))
                    .toString();
            return NodeReader.parse(text, name);
        } catch (CharacterCodingException e) {
            throw new NodeFormatException(name, null, "file", "bytes are not valid " + cs.name());
        }
    }

    /**
     * Reads the page's record (format version 2), its link resolved against the page's final
     * URL.
     */
    static Entry.Target record(Page page) throws NodeFormatException {
        String name = page.finalUrl().toString();
        Charset cs = charset(page.contentType(), page.body(), name);
        Entry.Target t;
        if (cs.equals(StandardCharsets.UTF_8)) {
            t = RecordFile.read(page.body(), name);
        } else {
            try {
                t = RecordFile.parse(
                        cs.newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(page.body()))
                                .toString(),
                        name);
            } catch (CharacterCodingException e) {
                throw new NodeFormatException(
                        name, null, "file", "bytes are not valid " + cs.name());
            }
        }
        return RecordFile.resolved(t, page.finalUrl());
    }

    /** The charset a page declares, or UTF-8. */
    static Charset charset(@Nullable String contentType, byte[] body, String name)
            throws NodeFormatException {
        String label = null;
        if (contentType != null) {
            Matcher m = HEADER_CHARSET.matcher(contentType);
            if (m.find()) {
                label = m.group(1);
            }
        }
        if (label == null) {
            int n = Math.min(body.length, META_SCAN_BYTES);
            Matcher m = META_CHARSET.matcher(new String(body, 0, n, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                label = m.group(1);
            }
        }
        if (label == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(label.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new NodeFormatException(
                    name,
                    null,
                    "charset",
                    "unknown charset '" + org.distree.model.Keys.abbreviate(label, 40) + "'");
        }
    }
}
