package org.distree.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.distree.maintain.settings.Setting;
import org.distree.maintain.settings.Settings;
import org.distree.maintain.settings.Type;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's settings. Each {@link Key} is a line of the properties file given with {@code
 * --config} and also a flag of the same name ({@code rate-limit=50} or {@code --rate-limit 50});
 * a flag wins over the file, and the file over the default. docs/SERVE.md lists every key.
 * The values are read and checked once, when the config is made ({@link Settings}).
 */
public final class ServerConfig {
    /** A count that must be at least 1. */
    private static final Type<Integer> POSITIVE = Type.integer(1, Integer.MAX_VALUE);

    /** Every setting: its name (the key and the flag), its default, its type and what it does. */
    public enum Key implements Setting {
        DATA(
                "data",
                null,
                Type.path(),
                "The tree's folder. Its node files and index.html are served; its"
                        + " private .distree/ folder (lock, journal, token, submission queue) never is."
                        + " An empty tree is made if there is none."),
        BASE_URL(
                "base-url",
                null,
                Type.baseUrl(),
                "The public URL of this machine's tree folder, such as"
                        + " https://node.example.org/. Used in receipts and JSON results."),
        BIND(
                "bind",
                "127.0.0.1",
                Type.text(),
                "The address to listen on; 0.0.0.0 for every interface."),
        PORT(
                "port",
                "8080",
                Type.integer(0, 65535),
                "The TCP port; 0 picks a free one (printed at start)."),
        TOKEN(
                "token",
                "",
                Type.text().orNone(),
                "The bearer token for POST /entries. Empty: read token-file, or"
                        + " generate one into it on first start."),
        TOKEN_FILE(
                "token-file",
                "",
                Type.path().orNone(),
                "Where the generated token is kept (mode 0600). Empty:" + " DATA/.distree/token."),
        CACHE_MAX_AGE(
                "cache-max-age",
                "60",
                Type.integer(0, Integer.MAX_VALUE),
                "Seconds a client may cache node files"
                        + " (Cache-Control max-age); they change when entries are added."),
        FILE_CACHE_BYTES(
                "file-cache-bytes",
                "67108864",
                Type.bytes(0, Long.MAX_VALUE),
                "Bytes of the tree's files kept in"
                        + " memory (plain and gzipped), each checked against the disk on every request;"
                        + " 0 reads every request from disk."),
        RATE_LIMIT(
                "rate-limit",
                "100",
                Type.integer(0, 1_000_000_000),
                "Requests per second allowed from one client address;"
                        + " more get 429 with Retry-After. 0 turns the limit off."),
        RATE_BURST(
                "rate-burst",
                "200",
                Type.integer(1, Integer.MAX_VALUE),
                "Requests a client may make above the rate in a short"
                        + " burst before it is limited."),
        TRUST_FORWARDED(
                "trust-forwarded",
                "false",
                Type.bool(),
                "Take the client address from the"
                        + " Forwarded/X-Forwarded-For headers (only behind a proxy you run)."),
        MAX_BODY_BYTES(
                "max-body-bytes",
                "1048576",
                Type.bytes(1, Integer.MAX_VALUE),
                "The largest request body; larger gets" + " 413."),
        MAX_HEADER_BYTES(
                "max-header-bytes",
                "8192",
                Type.bytes(1, Integer.MAX_VALUE),
                "The largest request line and headers;"
                        + " larger gets 431 (or 414 for a long URI)."),
        MAX_ENTRIES(
                "max-entries", "10000", POSITIVE, "The most entries one POST /entries may add."),
        WRITE_BATCH(
                "write-batch",
                "20000",
                POSITIVE,
                "The most entries in one append to the entry log (concurrent POST /entries"
                        + " requests are grouped up to this) and in one transaction of the tree"
                        + " (the entries waiting in the log are applied in sorted runs of this"
                        + " many)."),
        APPLY_BACKLOG(
                "apply-backlog",
                "100000",
                POSITIVE,
                "The most entries acknowledged (durable in the entry log) and not yet applied"
                        + " to the tree; beyond this new POST /entries requests wait."),
        MAX_SUBMIT_URLS("max-submit-urls", "16", POSITIVE, "The most URLs in one POST /submit."),
        MAX_PENDING(
                "max-pending-submissions",
                "64",
                POSITIVE,
                "Submitted URLs being fetched and checked"
                        + " at once, across clients; more get 503 with Retry-After."),
        SUBMIT_WORKERS(
                "submit-workers", "2", POSITIVE, "Threads that fetch and check submissions."),
        MAX_QUEUED(
                "max-queued",
                "10000",
                POSITIVE,
                "Accepted submissions waiting in"
                        + " .distree/submissions/ for the maintainer; beyond this new ones are"
                        + " rejected."),
        ALLOW_PRIVATE(
                "allow-private",
                "false",
                Type.bool(),
                "Fetch submitted URLs on loopback, private and"
                        + " link-local addresses (for tests and private networks)."),
        FETCH_TIMEOUT_MS(
                "fetch-timeout-ms",
                "10000",
                Type.millis(1),
                "Time allowed to fetch one node from"
                        + " another machine (a submission, or a remote child during /search)."),
        SEARCH_MAX_NODES(
                "search-max-nodes", "2000", POSITIVE, "The most nodes one /search may visit."),
        SEARCH_LIMIT("search-limit", "100", POSITIVE, "The most results one /search returns."),
        SEARCH_TIMEOUT_MS(
                "search-timeout-ms",
                "10000",
                Type.millis(1),
                "Time one /search may take; it then" + " shows what it found so far."),
        MAINTAIN(
                "maintain",
                "true",
                Type.bool(),
                "Run the maintenance jobs (sync, submit, link-check,"
                        + " rules) inside the daemon on their intervals, with the settings in"
                        + " DATA/maintainer.properties (docs/PROTOCOL.md); false to run none."),
        THREADS("threads", "64", Type.integer(8, Integer.MAX_VALUE), "The most request threads."),
        IDLE_TIMEOUT_MS(
                "idle-timeout-ms",
                "30000",
                Type.millis(1),
                "An idle connection is closed after this."),
        BODY_TIMEOUT_MS(
                "body-timeout-ms",
                "30000",
                Type.millis(1),
                "A request body must arrive whole within this, else 408 and the connection is"
                        + " closed; bodies are read without holding a request thread."),
        MAX_CLIENT_CONNECTIONS(
                "max-client-connections",
                "256",
                Type.integer(0, Integer.MAX_VALUE),
                "Open connections one client address may hold; a connection over this is"
                        + " closed at once. 0 for no limit; not applied with trust-forwarded (a"
                        + " proxy's clients share its address)."),
        SHUTDOWN_TIMEOUT_MS(
                "shutdown-timeout-ms",
                "15000",
                Type.millis(1),
                "On stop, time allowed for" + " requests in flight (and their writes) to finish.");

        private final String name;
        private final @Nullable String defaultValue;
        // Type holds only final fields and stateless readers, so it is immutable; it is not
        // annotated
        // @Immutable only because that would bring Error Prone's annotations onto the classpath.
        @SuppressWarnings("ImmutableEnumChecker")
        private final Type<?> type;

        private final String description;

        Key(String name, @Nullable String defaultValue, Type<?> type, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.type = type;
            this.description = description;
        }

        /** The key's name in the file, and the flag without its dashes. */
        @Override
        public String key() {
            return name;
        }

        /** The default, or null when the key is required. */
        @Override
        public @Nullable String defaultValue() {
            return defaultValue;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public Type<?> type() {
            return type;
        }
    }

    private final Path data;
    private final URI baseUrl;
    private final String bind;
    private final int port;
    private final @Nullable String token;
    private final Path tokenFile;
    private final int cacheMaxAge;
    private final long fileCacheBytes;
    private final int rateLimit;
    private final int rateBurst;
    private final boolean trustForwarded;
    private final int maxBodyBytes;
    private final int maxHeaderBytes;
    private final int maxEntries;
    private final int writeBatch;
    private final int applyBacklog;
    private final int maxSubmitUrls;
    private final int maxPendingSubmissions;
    private final int submitWorkers;
    private final int maxQueued;
    private final boolean allowPrivate;
    private final Duration fetchTimeout;
    private final int searchMaxNodes;
    private final int searchLimit;
    private final Duration searchTimeout;
    private final boolean maintain;
    private final int threads;
    private final Duration idleTimeout;
    private final Duration bodyTimeout;
    private final int maxClientConnections;
    private final Duration shutdownTimeout;

    private ServerConfig(Settings<Key> s) {
        this.data = s.get(Key.DATA, Path.class).toAbsolutePath().normalize();
        this.baseUrl = s.get(Key.BASE_URL, URI.class);
        this.bind = s.get(Key.BIND, String.class);
        this.port = s.get(Key.PORT, Integer.class);
        this.token = s.find(Key.TOKEN, String.class);
        Path file = s.find(Key.TOKEN_FILE, Path.class);
        this.tokenFile = file != null ? file : data.resolve(".distree").resolve("token");
        this.cacheMaxAge = s.get(Key.CACHE_MAX_AGE, Integer.class);
        this.fileCacheBytes = s.get(Key.FILE_CACHE_BYTES, Long.class);
        this.rateLimit = s.get(Key.RATE_LIMIT, Integer.class);
        this.rateBurst = s.get(Key.RATE_BURST, Integer.class);
        this.trustForwarded = s.get(Key.TRUST_FORWARDED, Boolean.class);
        // Byte counts Jetty takes as an int; their type holds them to Integer.MAX_VALUE.
        this.maxBodyBytes = Math.toIntExact(s.get(Key.MAX_BODY_BYTES, Long.class));
        this.maxHeaderBytes = Math.toIntExact(s.get(Key.MAX_HEADER_BYTES, Long.class));
        this.maxEntries = s.get(Key.MAX_ENTRIES, Integer.class);
        this.writeBatch = s.get(Key.WRITE_BATCH, Integer.class);
        this.applyBacklog = s.get(Key.APPLY_BACKLOG, Integer.class);
        this.maxSubmitUrls = s.get(Key.MAX_SUBMIT_URLS, Integer.class);
        this.maxPendingSubmissions = s.get(Key.MAX_PENDING, Integer.class);
        this.submitWorkers = s.get(Key.SUBMIT_WORKERS, Integer.class);
        this.maxQueued = s.get(Key.MAX_QUEUED, Integer.class);
        this.allowPrivate = s.get(Key.ALLOW_PRIVATE, Boolean.class);
        this.fetchTimeout = s.get(Key.FETCH_TIMEOUT_MS, Duration.class);
        this.searchMaxNodes = s.get(Key.SEARCH_MAX_NODES, Integer.class);
        this.searchLimit = s.get(Key.SEARCH_LIMIT, Integer.class);
        this.searchTimeout = s.get(Key.SEARCH_TIMEOUT_MS, Duration.class);
        this.maintain = s.get(Key.MAINTAIN, Boolean.class);
        this.threads = s.get(Key.THREADS, Integer.class);
        this.idleTimeout = s.get(Key.IDLE_TIMEOUT_MS, Duration.class);
        this.bodyTimeout = s.get(Key.BODY_TIMEOUT_MS, Duration.class);
        this.maxClientConnections = s.get(Key.MAX_CLIENT_CONNECTIONS, Integer.class);
        this.shutdownTimeout = s.get(Key.SHUTDOWN_TIMEOUT_MS, Duration.class);
    }

    /**
     * The settings from {@code given} (key names to values) over the defaults, read and checked
     * once.
     *
     * @throws IllegalArgumentException naming the key when one is unknown, missing or invalid
     */
    public static ServerConfig of(Map<String, String> given) {
        return new ServerConfig(Settings.parse(Key.class, "setting", "docs/SERVE.md", given));
    }

    /**
     * Reads a properties file (UTF-8) into key names and values.
     *
     * @throws IOException when it cannot be read
     */
    public static Map<String, String> readFile(Path file) throws IOException {
        return Settings.readFile(file);
    }

    /** The tree's folder, absolute. */
    public Path data() {
        return data;
    }

    /** The base URL, always ending in a slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    public String bind() {
        return bind;
    }

    /** The TCP port; 0 picks a free one. */
    public int port() {
        return port;
    }

    /** The configured token, or null to use the token file. */
    public @Nullable String token() {
        return token;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    /** Seconds a client may cache node files. */
    public int cacheMaxAge() {
        return cacheMaxAge;
    }

    /** Bytes of files the daemon keeps in memory; 0 keeps none. */
    public long fileCacheBytes() {
        return fileCacheBytes;
    }

    /** Requests per second per client; 0 is no limit. */
    public int rateLimit() {
        return rateLimit;
    }

    public int rateBurst() {
        return rateBurst;
    }

    public boolean trustForwarded() {
        return trustForwarded;
    }

    /** The largest request body in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The largest request line and headers in bytes. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The most entries one POST /entries may add. */
    public int maxEntries() {
        return maxEntries;
    }

    /** The most entries in one append to the entry log and in one transaction of the tree. */
    public int writeBatch() {
        return writeBatch;
    }

    /** The most entries durable in the entry log and not yet applied to the tree. */
    public int applyBacklog() {
        return applyBacklog;
    }

    /** The most URLs in one POST /submit. */
    public int maxSubmitUrls() {
        return maxSubmitUrls;
    }

    /** Submitted URLs being fetched and checked at once. */
    public int maxPendingSubmissions() {
        return maxPendingSubmissions;
    }

    /** Threads that fetch and check submissions. */
    public int submitWorkers() {
        return submitWorkers;
    }

    /** Accepted submissions that may wait for the maintainer. */
    public int maxQueued() {
        return maxQueued;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /** Time allowed to fetch one node from another machine. */
    public Duration fetchTimeout() {
        return fetchTimeout;
    }

    /** The most nodes one /search may visit. */
    public int searchMaxNodes() {
        return searchMaxNodes;
    }

    /** The most results one /search returns. */
    public int searchLimit() {
        return searchLimit;
    }

    /** Time one /search may take. */
    public Duration searchTimeout() {
        return searchTimeout;
    }

    /** Whether the daemon runs the maintenance jobs. */
    public boolean maintain() {
        return maintain;
    }

    /** The most request threads; at least 8. */
    public int threads() {
        return threads;
    }

    /** An idle connection is closed after this. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The time a request body has to arrive whole (default 30 s). */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /**
     * The most open connections from one client address (default 256); 0 for no limit, and no
     * limit when {@link #trustForwarded()}.
     */
    public int maxClientConnections() {
        return trustForwarded ? 0 : maxClientConnections;
    }

    /** On stop, time allowed for requests in flight to finish. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }
}
