package org.distree.crawl.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.distree.model.Links;

/**
 * URL normalization for the per-search cache, so that one node file is fetched once however it
 * is written: scheme and host lowercased, the default port dropped, dot segments removed, an
 * empty path made {@code /}. Resolution and origins stay in {@link Links}.
 */
public final class Urls {
    private Urls() {}

    /** The cache key of the file a URL names (its fragment dropped). */
    public static URI fileKey(URI url) {
        return normalize(Links.file(url));
    }

    /** The normalized URL, keeping its fragment. */
    public static URI normalize(URI url) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || url.isOpaque()) {
            return url;
        }
        String host = url.getHost() == null ? null : url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        if (port == Links.defaultPort(scheme)) {
            port = -1;
        }
        String path =
                url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        try {
            String authority = host == null
                    ? url.getRawAuthority()
                    : (url.getRawUserInfo() == null ? "" : url.getRawUserInfo() + "@")
                            + host
                            + (port == -1 ? "" : ":" + port);
            StringBuilder sb = new StringBuilder(scheme).append(':');
            if (authority != null) {
                sb.append("//").append(authority);
            }
            sb.append(path);
            if (url.getRawQuery() != null) {
                sb.append('?').append(url.getRawQuery());
            }
            if (url.getRawFragment() != null) {
                sb.append('#').append(url.getRawFragment());
            }
            return new URI(sb.toString()).normalize();
        } catch (URISyntaxException e) {
            return url.normalize();
        }
    }
}
