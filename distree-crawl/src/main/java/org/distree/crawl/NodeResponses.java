package org.distree.crawl;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.protocol.HttpClientContext;

/**
 * What every fetch of a node file asks for and accepts, in one place for the crawler and the
 * maintainer's link check: the Accept header, the content types taken as HTML, and the URL a
 * response came from after redirects (relative links resolve against it).
 */
public final class NodeResponses {
    /** The Accept header of a node fetch: HTML first, anything else last. */
    public static final String ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

    private NodeResponses() {}

    /** True for text/html and application/xhtml+xml, whatever the parameters or case. */
    public static boolean isHtml(String contentType) {
        String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mime.equals("text/html") || mime.equals("application/xhtml+xml");
    }

    /** The URL the response came from: the last redirect's target, else {@code url}. */
    public static URI finalUrl(URI url, HttpClientContext context) {
        var redirects = context.getRedirectLocations();
        if (redirects == null || redirects.size() == 0) {
            return url;
        }
        List<URI> all = redirects.getAll();
        return all.get(all.size() - 1);
    }
}
