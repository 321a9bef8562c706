package org.distree.model;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The one place for link resolution: child links are resolved against the URL of the file that
 * holds them, as a browser would (RFC 3986), and a fragment names an orphan copy inside a file.
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

    /** True when {@code href} is relative: a node on the same machine. */
    public static boolean isRelative(String href) {
        try {
            return !new URI(href.strip()).isAbsolute() && !href.startsWith("//");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
