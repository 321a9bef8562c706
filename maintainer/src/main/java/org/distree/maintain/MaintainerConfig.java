package org.distree.maintain;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The maintainer's settings: from {@code DIR/maintainer.properties} when it exists, overridden by
 * the command line or the daemon. Every key, its default and its meaning is in {@link Key} and in
 * docs/PROTOCOL.md. Intervals are in milliseconds, so tests can run rounds quickly.
 */
public final class MaintainerConfig {
    /** The file in the data folder that holds the settings, if any. */
    public static final String FILE = "maintainer.properties";

    /** Which entries of other machines' leaves this machine copies into its own leaves. */
    public enum Acceptance {
        /** Copy entries from any machine. */
        ALL,
        /** Copy entries only from the hosts in {@code accept-hosts}. */
        ALLOWLIST,
        /** Copy nothing: cover other machines' keys with links to their nodes only. */
        NONE
    }

    /** The settings, each with its default (null when there is none). */
    public enum Key {
        BASE_URL(
                "base-url",
                "",
                "This machine's public URL (where its index.html is served);"
                        + " empty for a static tree, which then submits nothing."),
        PEERS(
                "peers",
                "",
                "Roots of other machines to sync with: URLs of entry pages or root"
                        + " nodes, separated by commas."),
        ACCEPT("accept", "all", "Whose entries leaves copy: all, allowlist or none."),
        ACCEPT_HOSTS(
                "accept-hosts",
                "",
                "Hosts (host or host:port) whose entries are copied"
                        + " when accept=allowlist, separated by commas."),
        COPY_BUDGET(
                "copy-budget",
                "100000",
                "The most entries copied from other machines that"
                        + " this machine stores; -1 for no limit. Own entries do not count."),
        REDUNDANCY(
                "redundancy",
                "3",
                "Children from different machines an internal node aims"
                        + " to have at each point of its range."),
        RULES_INTERVAL_MS("rules-interval-ms", "60000", "How often the rules job runs."),
        LINK_CHECK_INTERVAL_MS(
                "link-check-interval-ms",
                "600000",
                "How often remote children" + " are re-fetched."),
        SUBMIT_INTERVAL_MS("submit-interval-ms", "60000", "How often new leaves are submitted."),
        SYNC_INTERVAL_MS("sync-interval-ms", "300000", "How often neighbor sync runs."),
        MAX_FETCHES(
                "max-fetches-per-round",
                "500",
                "The most node files one job fetches in one" + " run."),
        PER_HOST_INTERVAL_MS(
                "per-host-interval-ms",
                "100",
                "The least time between two fetches" + " from one host."),
        FETCH_TIMEOUT_MS("fetch-timeout-ms", "10000", "Time allowed for one fetch or submit."),
        DEAD_AFTER_FAILURES(
                "dead-after-failures",
                "3",
                "Failed checks in a row before a child" + " may be marked dead."),
        DEAD_AFTER_MS(
                "dead-after-ms",
                "86400000",
                "How long a child must keep failing before" + " it is marked dead."),
        SUBMIT_RETRY_MS(
                "submit-retry-ms",
                "60000",
                "The first wait before a failed submission"
                        + " is retried; it doubles on each failure."),
        SUBMIT_RETRY_MAX_MS(
                "submit-retry-max-ms",
                "3600000",
                "The longest wait between" + " retries of a submission."),
        MAX_NEIGHBORS("max-neighbors", "256", "Remote nodes remembered as places to sync from."),
        ORPHAN_AGING_MS(
                "orphan-aging-ms",
                "604800000",
                "How long a file that shrank keeps the"
                        + " orphan copies of the nodes that took its keys (7 days); the rules job then"
                        + " removes them."),
        ALLOW_PRIVATE(
                "allow-private",
                "false",
                "Fetch from loopback, private and link-local"
                        + " addresses (tests and private networks only).");

        private final String name;
        private final String defaultValue;
        private final String description;

        Key(String name, String defaultValue, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        public String key() {
            return name;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }

        static @Nullable Key named(String name) {
            for (Key k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Path data;
    private final Map<Key, String> values;

    private MaintainerConfig(Path data, Map<Key, String> values) {
        this.data = data;
        this.values = values;
    }

    /**
     * The settings for the tree in {@code data}: {@code given} over the file over the defaults.
     *
     * @throws IllegalArgumentException naming the key when one is unknown or invalid
     * @throws IOException when the settings file exists but cannot be read
     */
    public static MaintainerConfig load(Path data, Map<String, String> given) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        Path file = data.resolve(FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String n : p.stringPropertyNames()) {
                all.put(n, p.getProperty(n));
            }
        }
        all.putAll(given);
        return of(data, all);
    }

    /**
     * The settings from {@code given} over the defaults.
     *
     * @throws IllegalArgumentException naming the key when one is unknown or invalid
     */
    public static MaintainerConfig of(Path data, Map<String, String> given) {
        Map<Key, String> values = new LinkedHashMap<>();
        for (Key k : Key.values()) {
            values.put(k, k.defaultValue);
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            Key k = Key.named(e.getKey());
            if (k == null) {
                throw new IllegalArgumentException("unknown maintainer setting '" + e.getKey()
                        + "' (see docs/PROTOCOL.md for the keys)");
            }
            values.put(k, e.getValue().strip());
        }
        MaintainerConfig c = new MaintainerConfig(data.toAbsolutePath().normalize(), values);
        c.validate();
        return c;
    }

    /** This config with one setting changed. */
    public MaintainerConfig with(Key key, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k.name, v));
        m.put(key.name, value);
        return of(data, m);
    }

    private void validate() {
        baseUrl();
        peers();
        acceptance();
        acceptHosts();
        copyBudget();
        for (Key k : List.of(
                Key.RULES_INTERVAL_MS,
                Key.LINK_CHECK_INTERVAL_MS,
                Key.SUBMIT_INTERVAL_MS,
                Key.SYNC_INTERVAL_MS,
                Key.FETCH_TIMEOUT_MS,
                Key.SUBMIT_RETRY_MS,
                Key.SUBMIT_RETRY_MAX_MS,
                Key.MAX_FETCHES,
                Key.DEAD_AFTER_FAILURES,
                Key.REDUNDANCY,
                Key.MAX_NEIGHBORS,
                Key.ORPHAN_AGING_MS)) {
            positive(k);
        }
        number(Key.PER_HOST_INTERVAL_MS, 0);
        number(Key.DEAD_AFTER_MS, 0);
        allowPrivate();
    }

    /** The value of a key: the one set, else its default (every key has one). */
    private String value(Key k) {
        return Objects.requireNonNull(values.get(k), k.name);
    }

    /** The tree's folder. */
    public Path data() {
        return data;
    }

    /** This machine's public URL, ending in a slash, or null for a static tree. */
    public @Nullable URI baseUrl() {
        String v = value(Key.BASE_URL);
        if (v.isEmpty()) {
            return null;
        }
        URI u = url(Key.BASE_URL, v.endsWith("/") ? v : v + "/");
        return u;
    }

    /** The roots of other machines to sync with. */
    public List<URI> peers() {
        List<URI> out = new ArrayList<>();
        for (String s : value(Key.PEERS).split(",", -1)) {
            if (!s.isBlank()) {
                out.add(url(Key.PEERS, s.strip()));
            }
        }
        return out;
    }

    public Acceptance acceptance() {
        String v = value(Key.ACCEPT).toUpperCase(Locale.ROOT);
        try {
            return Acceptance.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw invalid(Key.ACCEPT, "must be all, allowlist or none");
        }
    }

    /** The hosts whose entries are copied under {@link Acceptance#ALLOWLIST}, lowercase. */
    public Set<String> acceptHosts() {
        Set<String> out = new TreeSet<>();
        for (String s : value(Key.ACCEPT_HOSTS).split(",", -1)) {
            if (!s.isBlank()) {
                out.add(s.strip().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** The most copied entries stored; {@link Long#MAX_VALUE} when there is no limit. */
    public long copyBudget() {
        long v = number(Key.COPY_BUDGET, -1);
        return v < 0 ? Long.MAX_VALUE : v;
    }

    public int redundancy() {
        return (int) positive(Key.REDUNDANCY);
    }

    /** The interval of a job. */
    public Duration interval(Key k) {
        return Duration.ofMillis(positive(k));
    }

    public int maxFetches() {
        return (int) positive(Key.MAX_FETCHES);
    }

    public Duration perHostInterval() {
        return Duration.ofMillis(number(Key.PER_HOST_INTERVAL_MS, 0));
    }

    public Duration fetchTimeout() {
        return Duration.ofMillis(positive(Key.FETCH_TIMEOUT_MS));
    }

    public int deadAfterFailures() {
        return (int) positive(Key.DEAD_AFTER_FAILURES);
    }

    public Duration deadAfter() {
        return Duration.ofMillis(number(Key.DEAD_AFTER_MS, 0));
    }

    public Duration submitRetry() {
        return Duration.ofMillis(positive(Key.SUBMIT_RETRY_MS));
    }

    public Duration submitRetryMax() {
        return Duration.ofMillis(positive(Key.SUBMIT_RETRY_MAX_MS));
    }

    /** How long orphan copies stay in a file that shrank; 7 days unless set. */
    public Duration orphanAging() {
        return Duration.ofMillis(positive(Key.ORPHAN_AGING_MS));
    }

    public int maxNeighbors() {
        return (int) positive(Key.MAX_NEIGHBORS);
    }

    public boolean allowPrivate() {
        String v = value(Key.ALLOW_PRIVATE).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(Key.ALLOW_PRIVATE, "must be true or false");
        }
        return v.equals("true");
    }

    private long positive(Key k) {
        return number(k, 1);
    }

    private long number(Key k, long min) {
        String v = value(k).replace("_", "");
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(k, "is not a whole number");
        }
        if (n < min) {
            throw invalid(k, "must be at least " + min);
        }
        return n;
    }

    private URI url(Key k, String v) {
        try {
            URI u = new URI(v);
            String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((!s.equals("http") && !s.equals("https")) || u.getHost() == null) {
                throw invalid(k, "must hold http or https URLs with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid(k, "holds '" + v + "', not a URL: " + e.getReason());
        }
    }

    private IllegalArgumentException invalid(Key k, String why) {
        return new IllegalArgumentException(
                "maintainer setting '" + k.name + "' = '" + values.get(k) + "' " + why);
    }
}
