package org.distree.crawl;

import java.time.Duration;
import java.util.Locale;
import org.distree.html.NodeReader;

/**
 * How the crawler fetches: limits, timeouts and manners. Start from {@link #defaults()} and
 * change what you need with the {@code with…} methods.
 *
 * @param maxInFlight requests in flight at once, over all hosts: 1 to 256; the default is 16
 * @param maxPerHost requests in flight to one host (scheme, name and port): 1 to {@code
 *     maxInFlight}; the default is 4
 * @param connectTimeout time to open a connection; the default is 5 seconds
 * @param responseTimeout the longest silence while waiting for response bytes; the default is 10
 *     seconds
 * @param fetchTimeout the longest a whole response may take, however steadily its bytes trickle
 *     in; the default is 20 seconds
 * @param maxRedirects redirects followed per fetch: 0 to 10; the default is 3
 * @param maxResponseBytes the largest response body accepted, enforced while it streams: 1,024
 *     to {@value NodeReader#DEFAULT_MAX_BYTES} bytes; the default is 256 KB (node files obey a
 *     10 KB rule, so this leaves room for pages that wrap them)
 * @param userAgent the User-Agent header, naming the project and its URL
 * @param respectRobots whether robots.txt is fetched (once per host, cached) and obeyed; the
 *     default is true
 * @param allowPrivateAddresses whether hosts that resolve to loopback, private, link-local or
 *     wildcard addresses may be fetched. True by default, for the command line and tests; the
 *     node daemon turns it off for fetches that outside input asks for
 */
public record CrawlConfig(
        int maxInFlight,
        int maxPerHost,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration fetchTimeout,
        int maxRedirects,
        int maxResponseBytes,
        String userAgent,
        boolean respectRobots,
        boolean allowPrivateAddresses) {
    /** The User-Agent sent by default. */
    public static final String DEFAULT_USER_AGENT =
            "distree-crawler/0.1 (+https://github.com/distree/distree)";

    /** The default response size cap: 256 KB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

    public CrawlConfig {
        requireBetween("maxInFlight", maxInFlight, 1, 256);
        requireBetween("maxPerHost", maxPerHost, 1, maxInFlight);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("responseTimeout", responseTimeout);
        requirePositive("fetchTimeout", fetchTimeout);
        requireBetween("maxRedirects", maxRedirects, 0, 10);
        requireBetween("maxResponseBytes", maxResponseBytes, 1024, NodeReader.DEFAULT_MAX_BYTES);
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException(
                    "userAgent '" + userAgent + "' must be printable ASCII and not blank");
        }
    }

    /** The defaults: 16 in flight, 4 per host, 5 s / 10 s / 20 s, 3 redirects, 256 KB. */
    public static CrawlConfig defaults() {
        return new CrawlConfig(
                16,
                4,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                3,
                DEFAULT_MAX_RESPONSE_BYTES,
                DEFAULT_USER_AGENT,
                true,
                true);
    }

    /** This config with other request limits. */
    public CrawlConfig withConcurrency(int newMaxInFlight, int newMaxPerHost) {
        return new CrawlConfig(
                newMaxInFlight,
                newMaxPerHost,
                connectTimeout,
                responseTimeout,
                fetchTimeout,
                maxRedirects,
                maxResponseBytes,
                userAgent,
                respectRobots,
                allowPrivateAddresses);
    }

    /** This config with other timeouts. */
    public CrawlConfig withTimeouts(Duration connect, Duration response, Duration fetch) {
        return new CrawlConfig(
                maxInFlight,
                maxPerHost,
                connect,
                response,
                fetch,
                maxRedirects,
                maxResponseBytes,
                userAgent,
                respectRobots,
                allowPrivateAddresses);
    }

    /** This config with another response size cap. */
    public CrawlConfig withMaxResponseBytes(int bytes) {
        return new CrawlConfig(
                maxInFlight,
                maxPerHost,
                connectTimeout,
                responseTimeout,
                fetchTimeout,
                maxRedirects,
                bytes,
                userAgent,
                respectRobots,
                allowPrivateAddresses);
    }

    /** This config obeying robots.txt or not. */
    public CrawlConfig withRobots(boolean respect) {
        return new CrawlConfig(
                maxInFlight,
                maxPerHost,
                connectTimeout,
                responseTimeout,
                fetchTimeout,
                maxRedirects,
                maxResponseBytes,
                userAgent,
                respect,
                allowPrivateAddresses);
    }

    /** This config allowing private and loopback addresses or not. */
    public CrawlConfig withPrivateAddresses(boolean allow) {
        return new CrawlConfig(
                maxInFlight,
                maxPerHost,
                connectTimeout,
                responseTimeout,
                fetchTimeout,
                maxRedirects,
                maxResponseBytes,
                userAgent,
                respectRobots,
                allow);
    }

    private static void requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "%s is %,d, outside %,d..%,d", name, value, min, max));
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(name + " is " + d + ", not between 0 and 1 hour");
        }
    }
}
