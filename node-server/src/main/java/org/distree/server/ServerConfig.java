package org.distree.server;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's settings. Each {@link Key} is a line of the properties file given with {@code
 * --config} and also a flag of the same name ({@code rate-limit=50} or {@code --rate-limit 50});
 * a flag wins over the file, and the file over the default. docs/SERVE.md lists every key.
 */
public final class ServerConfig {
    /** Every setting: its name (the key and the flag), its default, and what it does. */
    public enum Key {
        DATA(
                "data",
                null,
                "The tree's folder. Its node files and index.html are served; its"
                        + " private .distree/ folder (lock, journal, token, submission queue) never is."
                        + " An empty tree is made if there is none."),
        BASE_URL(
                "base-url",
                null,
                "The public URL of this machine's tree folder, such as"
                        + " https://node.example.org/. Used in receipts and JSON results."),
        BIND("bind", "127.0.0.1", "The address to listen on; 0.0.0.0 for every interface."),
        PORT("port", "8080", "The TCP port; 0 picks a free one (printed at start)."),
        TOKEN(
                "token",
                "",
                "The bearer token for POST /entries. Empty: read token-file, or"
                        + " generate one into it on first start."),
        TOKEN_FILE(
                "token-file",
                "",
                "Where the generated token is kept (mode 0600). Empty:" + " DATA/.distree/token."),
        CACHE_MAX_AGE(
                "cache-max-age",
                "60",
                "Seconds a client may cache node files"
                        + " (Cache-Control max-age); they change when entries are added."),
        FILE_CACHE_BYTES(
                "file-cache-bytes",
                "67108864",
                "Bytes of the tree's files kept in"
                        + " memory (plain and gzipped), each checked against the disk on every request;"
                        + " 0 reads every request from disk."),
        RATE_LIMIT(
                "rate-limit",
                "100",
                "Requests per second allowed from one client address;"
                        + " more get 429 with Retry-After. 0 turns the limit off."),
        RATE_BURST(
                "rate-burst",
                "200",
                "Requests a client may make above the rate in a short"
                        + " burst before it is limited."),
        TRUST_FORWARDED(
                "trust-forwarded",
                "false",
                "Take the client address from the"
                        + " Forwarded/X-Forwarded-For headers (only behind a proxy you run)."),
        MAX_BODY_BYTES(
                "max-body-bytes", "1048576", "The largest request body; larger gets" + " 413."),
        MAX_HEADER_BYTES(
                "max-header-bytes",
                "8192",
                "The largest request line and headers;"
                        + " larger gets 431 (or 414 for a long URI)."),
        MAX_ENTRIES("max-entries", "10000", "The most entries one POST /entries may add."),
        WRITE_BATCH(
                "write-batch",
                "20000",
                "The most entries written in one durable"
                        + " transaction; concurrent POST /entries requests are grouped up to this."),
        MAX_SUBMIT_URLS("max-submit-urls", "16", "The most URLs in one POST /submit."),
        MAX_PENDING(
                "max-pending-submissions",
                "64",
                "Submitted URLs being fetched and checked"
                        + " at once, across clients; more get 503 with Retry-After."),
        SUBMIT_WORKERS("submit-workers", "2", "Threads that fetch and check submissions."),
        MAX_QUEUED(
                "max-queued",
                "10000",
                "Accepted submissions waiting in"
                        + " .distree/submissions/ for the maintainer; beyond this new ones are"
                        + " rejected."),
        ALLOW_PRIVATE(
                "allow-private",
                "false",
                "Fetch submitted URLs on loopback, private and"
                        + " link-local addresses (for tests and private networks)."),
        FETCH_TIMEOUT_MS(
                "fetch-timeout-ms",
                "10000",
                "Time allowed to fetch one node from"
                        + " another machine (a submission, or a remote child during /search)."),
        SEARCH_MAX_NODES("search-max-nodes", "2000", "The most nodes one /search may visit."),
        SEARCH_LIMIT("search-limit", "100", "The most results one /search returns."),
        SEARCH_TIMEOUT_MS(
                "search-timeout-ms",
                "10000",
                "Time one /search may take; it then" + " shows what it found so far."),
        MAINTAIN(
                "maintain",
                "true",
                "Run the maintenance jobs (sync, submit, link-check,"
                        + " rules) inside the daemon on their intervals, with the settings in"
                        + " DATA/maintainer.properties (docs/PROTOCOL.md); false to run none."),
        THREADS("threads", "64", "The most request threads."),
        IDLE_TIMEOUT_MS("idle-timeout-ms", "30000", "An idle connection is closed after this."),
        SHUTDOWN_TIMEOUT_MS(
                "shutdown-timeout-ms",
                "15000",
                "On stop, time allowed for" + " requests in flight (and their writes) to finish.");

        private final String name;
        private final @Nullable String defaultValue;
        private final String description;

        Key(String name, @Nullable String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** The key's name in the file, and the flag without its dashes. */
        public String key() {
            return name;
        }

        /** The default, or null when the key is required. */
        public @Nullable String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }

        /** The key of this name, or null. */
        public static @Nullable Key named(String name) {
            for (Key k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Map<Key, String> values;

    private ServerConfig(Map<Key, String> values) {
        this.values = values;
    }

    /**
     * The settings from {@code given} (key names to values) over the defaults.
     *
     * @throws IllegalArgumentException naming the key when one is unknown, missing or invalid
     */
    public static ServerConfig of(Map<String, String> given) {
        Map<Key, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            Key k = Key.named(e.getKey());
            if (k == null) {
                throw new IllegalArgumentException(
                        "unknown setting '" + e.getKey() + "' (see docs/SERVE.md for the keys)");
            }
            values.put(k, e.getValue().strip());
        }
        for (Key k : Key.values()) {
            if (!values.containsKey(k)) {
                if (k.defaultValue == null) {
                    throw new IllegalArgumentException(
                            "setting '" + k.name + "' is required" + " (--" + k.name + ")");
                }
                values.put(k, k.defaultValue);
            }
        }
        ServerConfig c = new ServerConfig(values);
        c.validate();
        return c;
    }

    /**
     * Reads a properties file (UTF-8) into key names and values.
     *
     * @throws IOException when it cannot be read
     */
    public static Map<String, String> readFile(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    private void validate() {
        data();
        baseUrl();
        port();
        rateLimit();
        rateBurst();
        trustForwarded();
        allowPrivate();
        maintain();
        cacheMaxAge();
        fileCacheBytes();
        positive(Key.MAX_BODY_BYTES);
        positive(Key.MAX_HEADER_BYTES);
        positive(Key.MAX_ENTRIES);
        positive(Key.WRITE_BATCH);
        positive(Key.MAX_SUBMIT_URLS);
        positive(Key.MAX_PENDING);
        positive(Key.SUBMIT_WORKERS);
        positive(Key.MAX_QUEUED);
        positive(Key.FETCH_TIMEOUT_MS);
        positive(Key.SEARCH_MAX_NODES);
        positive(Key.SEARCH_LIMIT);
        positive(Key.SEARCH_TIMEOUT_MS);
        positive(Key.IDLE_TIMEOUT_MS);
        positive(Key.SHUTDOWN_TIMEOUT_MS);
        if (integer(Key.THREADS) < 8) {
            throw invalid(Key.THREADS, "must be at least 8");
        }
    }

    /** The raw value of a key: the one set, else its default (every key has one). */
    public String get(Key k) {
        return Objects.requireNonNull(values.get(k), k.key());
    }

    public Path data() {
        String v = get(Key.DATA);
        if (v.isEmpty()) {
            throw invalid(Key.DATA, "is empty");
        }
        return Path.of(v).toAbsolutePath().normalize();
    }

    /** The base URL, always ending in a slash. */
    public URI baseUrl() {
        String v = get(Key.BASE_URL);
        try {
            URI u = new URI(v.endsWith("/") ? v : v + "/");
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https"))
                    || u.getHost() == null
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw invalid(
                        Key.BASE_URL,
                        "must be an http or https URL with a host and no"
                                + " query, such as https://node.example.org/");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid(Key.BASE_URL, "is not a URL: " + e.getReason());
        }
    }

    public String bind() {
        return get(Key.BIND);
    }

    public int port() {
        int p = integer(Key.PORT);
        if (p < 0 || p > 65535) {
            throw invalid(Key.PORT, "must be 0 to 65535");
        }
        return p;
    }

    /** The configured token, or null to use the token file. */
    public @Nullable String token() {
        String t = get(Key.TOKEN);
        return t.isEmpty() ? null : t;
    }

    public Path tokenFile() {
        String f = get(Key.TOKEN_FILE);
        return f.isEmpty() ? data().resolve(".distree").resolve("token") : Path.of(f);
    }

    public int cacheMaxAge() {
        int s = integer(Key.CACHE_MAX_AGE);
        if (s < 0) {
            throw invalid(Key.CACHE_MAX_AGE, "must not be negative");
        }
        return s;
    }

    /** Bytes of files the daemon keeps in memory; 0 keeps none. */
    public long fileCacheBytes() {
        int b = integer(Key.FILE_CACHE_BYTES);
        if (b < 0) {
            throw invalid(Key.FILE_CACHE_BYTES, "must not be negative");
        }
        return b;
    }

    /** Requests per second per client; 0 is no limit. */
    public int rateLimit() {
        int r = integer(Key.RATE_LIMIT);
        if (r < 0 || r > 1_000_000_000) {
            throw invalid(Key.RATE_LIMIT, "must be 0 (off) to 1,000,000,000");
        }
        return r;
    }

    public int rateBurst() {
        return positive(Key.RATE_BURST);
    }

    public boolean trustForwarded() {
        return bool(Key.TRUST_FORWARDED);
    }

    public boolean allowPrivate() {
        return bool(Key.ALLOW_PRIVATE);
    }

    /** Whether the daemon runs the maintenance jobs. */
    public boolean maintain() {
        return bool(Key.MAINTAIN);
    }

    /** A whole-number setting that must be at least 1. */
    public int positive(Key k) {
        int v = integer(k);
        if (v < 1) {
            throw invalid(k, "must be at least 1");
        }
        return v;
    }

    private int integer(Key k) {
        String v = get(k).replace("_", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(k, "is not a whole number");
        }
    }

    private boolean bool(Key k) {
        String v = get(k).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw invalid(k, "must be true or false");
    }

    private IllegalArgumentException invalid(Key k, String why) {
        return new IllegalArgumentException("setting '" + k.name + "' = '" + get(k) + "' " + why);
    }
}
