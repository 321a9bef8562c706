package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.distree.maintain.settings.Setting;
import org.distree.maintain.settings.Settings;
import org.distree.maintain.settings.Type;
import org.jspecify.annotations.Nullable;

/**
 * The maintainer's settings: from {@code DIR/maintainer.properties} when it exists, overridden by
 * the command line or the daemon, read and checked once ({@link Settings}). Every key, its
 * default, its type and its meaning is in {@link Key} and in docs/PROTOCOL.md. Intervals are in
 * milliseconds, so tests can run rounds quickly.
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

    /** The settings, each with its default and type. */
    public enum Key implements Setting {
        BASE_URL(
                "base-url",
                "",
                Type.baseUrl().orNone(),
                "This machine's public URL (where its index.html is served);"
                        + " empty for a static tree, which then submits nothing."),
        PEERS(
                "peers",
                "",
                Type.list(Type.httpUrl()),
                "Roots of other machines to sync with: URLs of entry pages or root"
                        + " nodes, separated by commas."),
        ACCEPT(
                "accept",
                "all",
                Type.choice(Acceptance.class),
                "Whose entries leaves copy: all, allowlist or none."),
        ACCEPT_HOSTS(
                "accept-hosts",
                "",
                Type.list(Type.text()),
                "Hosts (host or host:port) whose entries are copied"
                        + " when accept=allowlist, separated by commas."),
        COPY_BUDGET(
                "copy-budget",
                "100000",
                Type.number(-1, Long.MAX_VALUE),
                "The most entries copied from other machines that"
                        + " this machine stores; -1 for no limit. Own entries do not count."),
        REDUNDANCY(
                "redundancy",
                "3",
                Type.integer(1, Integer.MAX_VALUE),
                "Children from different machines an internal node aims"
                        + " to have at each point of its range."),
        POSITIONS(
                "positions",
                "8",
                Type.integer(0, 64),
                "Places this machine takes on the ring of keys (from a hash of its base URL);"
                        + " it holds the keys from each to the next machines' (8: arcs small enough that"
                        + " no machine holds much more than its share). 0: no ranges, copy from"
                        + " every machine within copy-budget."),
        BALANCE(
                "balance",
                "true",
                Type.bool(),
                "Move this machine's places forward when it stores more than 1.3 times the"
                        + " median store of the ring, so that the next machines take the excess."),
        REPLICAS(
                "replicas",
                "3",
                Type.integer(1, 16),
                "Machines that hold each key of the ring: the owner of the place before it"
                        + " and the next ones back."),
        RULES_INTERVAL_MS(
                "rules-interval-ms", "60000", Type.millis(1), "How often the rules job runs."),
        LINK_CHECK_INTERVAL_MS(
                "link-check-interval-ms",
                "600000",
                Type.millis(1),
                "How often remote children" + " are re-fetched."),
        SUBMIT_INTERVAL_MS(
                "submit-interval-ms",
                "60000",
                Type.millis(1),
                "How often new leaves are submitted."),
        SYNC_INTERVAL_MS(
                "sync-interval-ms", "300000", Type.millis(1), "How often neighbor sync runs."),
        MAX_FETCHES(
                "max-fetches-per-round",
                "500",
                Type.integer(1, Integer.MAX_VALUE),
                "The most node files one job fetches in one" + " run."),
        PER_HOST_INTERVAL_MS(
                "per-host-interval-ms",
                "100",
                Type.millis(0),
                "The least time between two fetches" + " from one host."),
        FETCH_TIMEOUT_MS(
                "fetch-timeout-ms",
                "10000",
                Type.millis(1),
                "Time allowed for one fetch or submit."),
        DEAD_AFTER_FAILURES(
                "dead-after-failures",
                "3",
                Type.integer(1, Integer.MAX_VALUE),
                "Failed checks in a row before a child" + " may be marked dead."),
        DEAD_AFTER_MS(
                "dead-after-ms",
                "86400000",
                Type.millis(0),
                "How long a child must keep failing before" + " it is marked dead."),
        SUBMIT_RETRY_MS(
                "submit-retry-ms",
                "60000",
                Type.millis(1),
                "The first wait before a failed submission"
                        + " is retried; it doubles on each failure."),
        SUBMIT_RETRY_MAX_MS(
                "submit-retry-max-ms",
                "3600000",
                Type.millis(1),
                "The longest wait between" + " retries of a submission."),
        MAX_NEIGHBORS(
                "max-neighbors",
                "256",
                Type.integer(1, Integer.MAX_VALUE),
                "Remote nodes remembered as places to sync from."),
        WALK_CACHE_FILES(
                "walk-cache-files",
                "4096",
                Type.integer(1, 1_000_000),
                "Other machines' node files the ring's walk keeps in memory between runs, to ask"
                        + " for each only if it changed."),
        ORPHAN_AGING_MS(
                "orphan-aging-ms",
                "604800000",
                Type.millis(1),
                "How long a file that shrank keeps the"
                        + " orphan copies of the nodes that took its keys (7 days); the rules job then"
                        + " removes them."),
        ALLOW_PRIVATE(
                "allow-private",
                "false",
                Type.bool(),
                "Fetch from loopback, private and link-local"
                        + " addresses (tests and private networks only).");

        private final String name;
        private final String defaultValue;
        // Type holds only final fields and stateless readers, so it is immutable; it is not
        // annotated
        // @Immutable only because that would bring Error Prone's annotations onto the classpath.
        @SuppressWarnings("ImmutableEnumChecker")
        private final Type<?> type;

        private final String description;

        Key(String name, String defaultValue, Type<?> type, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.type = type;
            this.description = description;
        }

        @Override
        public String key() {
            return name;
        }

        @Override
        public String defaultValue() {
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
    private final @Nullable URI baseUrl;
    private final List<URI> peers;
    private final Acceptance acceptance;
    private final Set<String> acceptHosts;
    private final long copyBudget;
    private final int positions;
    private final int replicas;
    private final boolean balance;
    private final int redundancy;
    private final Duration rulesInterval;
    private final Duration linkCheckInterval;
    private final Duration submitInterval;
    private final Duration syncInterval;
    private final int maxFetches;
    private final Duration perHostInterval;
    private final Duration fetchTimeout;
    private final int deadAfterFailures;
    private final Duration deadAfter;
    private final Duration submitRetry;
    private final Duration submitRetryMax;
    private final int maxNeighbors;
    private final int walkCacheFiles;
    private final Duration orphanAging;
    private final boolean allowPrivate;

    private MaintainerConfig(Path data, Settings<Key> s) {
        this.data = data;
        this.baseUrl = s.find(Key.BASE_URL, URI.class);
        this.peers = s.list(Key.PEERS, URI.class);
        this.acceptance = s.get(Key.ACCEPT, Acceptance.class);
        Set<String> hosts = new TreeSet<>();
        for (String h : s.list(Key.ACCEPT_HOSTS, String.class)) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        this.acceptHosts = Collections.unmodifiableSet(hosts);
        long budget = s.get(Key.COPY_BUDGET, Long.class);
        this.copyBudget = budget < 0 ? Long.MAX_VALUE : budget;
        this.redundancy = s.get(Key.REDUNDANCY, Integer.class);
        this.positions = s.get(Key.POSITIONS, Integer.class);
        this.replicas = s.get(Key.REPLICAS, Integer.class);
        this.balance = s.get(Key.BALANCE, Boolean.class);
        this.rulesInterval = s.get(Key.RULES_INTERVAL_MS, Duration.class);
        this.linkCheckInterval = s.get(Key.LINK_CHECK_INTERVAL_MS, Duration.class);
        this.submitInterval = s.get(Key.SUBMIT_INTERVAL_MS, Duration.class);
        this.syncInterval = s.get(Key.SYNC_INTERVAL_MS, Duration.class);
        this.maxFetches = s.get(Key.MAX_FETCHES, Integer.class);
        this.perHostInterval = s.get(Key.PER_HOST_INTERVAL_MS, Duration.class);
        this.fetchTimeout = s.get(Key.FETCH_TIMEOUT_MS, Duration.class);
        this.deadAfterFailures = s.get(Key.DEAD_AFTER_FAILURES, Integer.class);
        this.deadAfter = s.get(Key.DEAD_AFTER_MS, Duration.class);
        this.submitRetry = s.get(Key.SUBMIT_RETRY_MS, Duration.class);
        this.submitRetryMax = s.get(Key.SUBMIT_RETRY_MAX_MS, Duration.class);
        this.maxNeighbors = s.get(Key.MAX_NEIGHBORS, Integer.class);
        this.walkCacheFiles = s.get(Key.WALK_CACHE_FILES, Integer.class);
        this.orphanAging = s.get(Key.ORPHAN_AGING_MS, Duration.class);
        this.allowPrivate = s.get(Key.ALLOW_PRIVATE, Boolean.class);
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
            all.putAll(Settings.readFile(file));
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
        return new MaintainerConfig(
                data.toAbsolutePath().normalize(),
                Settings.parse(Key.class, "maintainer setting", "docs/PROTOCOL.md", given));
    }

    /** The tree's folder. */
    public Path data() {
        return data;
    }

    /** This machine's public URL, ending in a slash, or null for a static tree. */
    public @Nullable URI baseUrl() {
        return baseUrl;
    }

    /** The roots of other machines to sync with. */
    public List<URI> peers() {
        return peers;
    }

    public Acceptance acceptance() {
        return acceptance;
    }

    /** The hosts whose entries are copied under {@link Acceptance#ALLOWLIST}, lowercase. */
    public Set<String> acceptHosts() {
        return acceptHosts;
    }

    /** The most copied entries stored; {@link Long#MAX_VALUE} when there is no limit. */
    public long copyBudget() {
        return copyBudget;
    }

    public int redundancy() {
        return redundancy;
    }

    /**
     * Places on the ring of keys this machine takes ({@code positions}, default 8; 0: no ranges,
     * it copies from every machine within the copy budget). A static tree (no base URL) holds
     * none.
     */
    public int positions() {
        return baseUrl == null ? 0 : positions;
    }

    /**
     * Whether this machine moves its places when it stores much more than the ring's median
     * ({@code balance}, default true; {@link org.distree.maintain.internal.Balance}).
     */
    public boolean balance() {
        return balance;
    }

    /** Machines that hold each key of the ring ({@code replicas}, default 3). */
    public int replicas() {
        return replicas;
    }

    /**
     * The interval of a job: {@code k} is one of the {@code *-interval-ms} keys.
     *
     * @throws IllegalArgumentException for any other key
     */
    public Duration interval(Key k) {
        return switch (k) {
            case RULES_INTERVAL_MS -> rulesInterval;
            case LINK_CHECK_INTERVAL_MS -> linkCheckInterval;
            case SUBMIT_INTERVAL_MS -> submitInterval;
            case SYNC_INTERVAL_MS -> syncInterval;
            default ->
                throw new IllegalArgumentException(
                        "'" + k.key() + "' is not the interval of a job");
        };
    }

    public int maxFetches() {
        return maxFetches;
    }

    public Duration perHostInterval() {
        return perHostInterval;
    }

    public Duration fetchTimeout() {
        return fetchTimeout;
    }

    public int deadAfterFailures() {
        return deadAfterFailures;
    }

    public Duration deadAfter() {
        return deadAfter;
    }

    public Duration submitRetry() {
        return submitRetry;
    }

    public Duration submitRetryMax() {
        return submitRetryMax;
    }

    /** How long orphan copies stay in a file that shrank; 7 days unless set. */
    public Duration orphanAging() {
        return orphanAging;
    }

    public int maxNeighbors() {
        return maxNeighbors;
    }

    /**
     * Other machines' node files the ring's walk keeps between runs ({@code walk-cache-files},
     * default 4,096): a ring reads about 5 files of each machine, so a ring of more than about
     * 800 machines needs more, or its walk asks for files whole that a {@code 304} or a sum
     * would have spared.
     */
    public int walkCacheFiles() {
        return walkCacheFiles;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }
}
