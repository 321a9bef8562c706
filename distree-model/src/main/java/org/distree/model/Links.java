package org.distree.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one place for link resolution: child links are resolved against the URL of the file that
 * holds them, as a browser would (RFC 3986), and a fragment names an orphan copy inside a file.
 * Also the one place for a URL's origin, the machine it names ({@link #origin}).
 */
public final class Links {
    private Links() {}

    /**
     * Resolves {@code href} against {@code base}.
     *
     * @throws IllegalArgumentException when the link is not a valid URI reference
     */
    public static URI resolve(URI base, String href) {
        try {
            return base.resolve(new URI(href.strip())).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("link '" + Keys.abbreviate(href, 60)
                    + "' is not a valid URL: " + e.getReason());
        }
    }

    /** The URL without its fragment: the file to fetch. */
    public static URI file(URI url) {
        if (url.getRawFragment() == null) {
            return url;
        }
        String s = url.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    /** The fragment of a URL (the orphan copy it names), or null. */
    public static @Nullable String fragment(URI url) {
        return url.getFragment();
    }

    /** True for the schemes a walk may follow: http, https and file. */
    public static boolean followable(URI url) {
        String s = url.getScheme();
        return s != null
                && (s.equalsIgnoreCase("http")
                        || s.equalsIgnoreCase("https")
                        || s.equalsIgnoreCase("file"));
    }

    /**
     * The origin of a URL, the machine that serves it (RFC 6454): {@code scheme://host} with the
     * scheme and host lower-cased, {@code :port} only when it is not the scheme's default (80 for
     * http, 443 for https), and no user info, path, query or fragment. So {@code
     * HTTP://B.Example:80/n/1.html} and {@code http://b.example/} have the one origin {@code
     * http://b.example}. An IPv6 host keeps its brackets ({@code http://[::1]:8080}). A URL with no
     * authority gives its scheme and a colon ({@code file:}). Used wherever two URLs are asked
     * whether they name the same machine: per-host limits and robots.txt in the crawler, vetted
     * machines, copies and redundancy in the maintainer.
     */
    public static String origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String authority = url.getRawAuthority();
        if (authority == null) {
            return scheme + ":";
        }
        String host = url.getHost();
        int port = url.getPort();
        if (host == null) {
            // A registry-based authority, such as a name with '_', which java.net.URI does not
            // take as a host: user info dropped, a trailing :digits taken as the port.
            host = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = host.lastIndexOf(':');
            if (colon >= 0
                    && colon > host.lastIndexOf(']')
                    && colon + 1 < host.length()
                    && host.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')
                    && host.length() - colon <= 6) {
                port = Integer.parseInt(host.substring(colon + 1));
                host = host.substring(0, colon);
            }
        }
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port);
    }

    /** The default port of a lower-case scheme: 80 for http, 443 for https, else -1. */
    public static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /** True when {@code href} is relative: a node on the same machine. */
    public static boolean isRelative(String href) {
        if (isPlainPath(href)) {
            return true; // such as "1a.html": no scheme, no authority, nothing to parse
        }
        try {
            return !new URI(href.strip()).isAbsolute() && !href.startsWith("//");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * True for a path of letters, digits and {@code . _ - /}, not starting with {@code //}: a
     * relative link as this project writes its own, told without parsing.
     */
    private static boolean isPlainPath(String href) {
        if (href.isEmpty() || href.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < href.length(); i++) {
            char c = href.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-'
                    || c == '/')) {
                return false;
            }
        }
        return true;
    }
}
