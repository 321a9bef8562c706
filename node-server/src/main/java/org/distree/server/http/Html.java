package org.distree.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jsoup.nodes.Entities;
import org.jspecify.annotations.Nullable;

/**
 * The one place where text enters a page: every string that is not a literal of this code goes
 * through {@link #text} (jsoup's escaping, safe in element text and in double-quoted
 * attributes), and every link through {@link #href}, which lets only http and https through.
 */
final class Html {
    private Html() {}

    /** Escapes {@code s} for HTML text and double-quoted attribute values. */
    static String text(String s) {
        return Entities.escape(s);
    }

    /**
     * The escaped link if it is an absolute http or https URL, else null: a {@code javascript:},
     * {@code data:} or other link is shown as text, never as a link.
     */
    static @Nullable String href(String link) {
        try {
            URI u = new URI(link.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return text(u.toString());
            }
        } catch (URISyntaxException e) {
            // Not a URL: shown as text.
        }
        return null;
    }

    /** A link with escaped text, or the escaped text alone when the link is not http(s). */
    static String link(String link, String label) {
        String h = href(link);
        return h == null
                ? text(label)
                : "<a href=\"" + h + "\" rel=\"nofollow noopener\">" + text(label) + "</a>";
    }

    /** A whole page around {@code body} (already HTML), with the stylesheet. */
    static String page(String title, String body) {
        return page(title, "", body);
    }

    /** A whole page with extra elements in its head (already HTML). */
    static String page(String title, String head, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + text(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/style.css\">" + head + "</head>\n<body>\n"
                + body + "\n<footer><a href=\"/\">Home</a> · <a href=\"/index.html\">Tree</a>"
                + " · <a href=\"/search\">Search</a></footer>\n</body></html>\n";
    }
}
