package org.distree.server.submit;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.distree.crawl.Addresses;
import org.distree.model.Entry;
import org.distree.model.Keys;

/**
 * Which submitted URLs the daemon will fetch: absolute http or https URLs of at most {@value
 * Entry#MAX_LINK_BYTES} bytes, with a host, no user info, and, unless private addresses are
 * allowed, a host that is not on loopback, private, link-local, shared or otherwise special
 * networks. {@link #check} runs at once on the raw text, with no DNS lookup: a literal address
 * is checked here, and a name is checked when it is resolved for the fetch, by the fetching
 * {@code NodeSource} (the crawler's {@code HttpNodeSource} refuses private addresses at connect
 * time, redirects included, when told to).
 */
public final class UrlPolicy {
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+|0x[0-9a-f.x]*");

    private final boolean allowPrivate;

    /** @param allowPrivate also allow loopback, private and link-local addresses */
    public UrlPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Checks a submitted URL without touching the network.
     *
     * @return the URL, normalized
     * @throws IllegalArgumentException saying why it is refused
     */
    public URI check(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the URL is empty");
        }
        int bytes = Keys.utf8Length(s);
        if (bytes > Entry.MAX_LINK_BYTES) {
            throw new IllegalArgumentException("the URL is " + bytes + " bytes, over the "
                    + Entry.MAX_LINK_BYTES + " byte limit");
        }
        URI u;
        try {
            u = new URI(s).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https");
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the URL has no host name");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the URL must not carry a user name or password");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            checkAddress(literal(host.substring(1, host.length() - 1)), host);
        } else if (NUMERIC_HOST.matcher(host).matches()) {
            // inet_aton also reads 2130706433, 0x7f.1 and 0177.0.0.1 as 127.0.0.1: only the
            // plain dotted form is taken.
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw new IllegalArgumentException(
                        "the host '" + host + "' is not a plain" + " IPv4 address");
            }
            checkAddress(literal(host), host);
        } else if (!allowPrivate
                && (host.equals("localhost")
                        || host.endsWith(".localhost")
                        || host.endsWith(".local")
                        || host.endsWith(".internal")
                        || !host.contains("."))) {
            throw new IllegalArgumentException("the host '" + host + "' is not a public name");
        }
        return u;
    }

    private static InetAddress literal(String host) {
        try {
            // A literal address: no DNS lookup is made.
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the host '" + host + "' is not a valid address");
        }
    }

    private void checkAddress(InetAddress a, String host) {
        if (!allowPrivate && !isPublic(a)) {
            throw new IllegalArgumentException("the host '" + host + "' is on a loopback,"
                    + " private or special network (" + a.getHostAddress() + ")");
        }
    }

    /** True for an address on the public internet (see {@link Addresses#isPublic}). */
    static boolean isPublic(InetAddress a) {
        return Addresses.isPublic(a);
    }
}
