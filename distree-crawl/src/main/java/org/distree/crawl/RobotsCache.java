package org.distree.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.distree.model.Links;
import org.jspecify.annotations.Nullable;

/**
 * robots.txt rules per host ({@link Links#origin}: scheme, host and port), fetched once and kept for an hour, for at
 * most 1,024 hosts. A robots.txt that cannot be had follows crawler-commons: a 4xx allows all, a
 * 5xx forbids all for the hour, and a failed connection allows all (the node fetch that follows
 * fails on its own). The rules are parsed by crawler-commons for the agent names {@code
 * distree-crawler} and {@code distree}.
 */
final class RobotsCache {
    private static final int MAX_HOSTS = 1024;
    private static final int MAX_ROBOTS_BYTES = 64 * 1024;
    private static final long TTL_NANOS = 3600L * 1_000_000_000L;
    private static final List<String> AGENTS = List.of("distree-crawler", "distree");

    private final Fetcher fetcher;
    private final LongSupplier clock;
    private final Map<String, Cached> byHost = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    private record Cached(CompletableFuture<BaseRobotRules> rules, long fetchedAt) {}

    public RobotsCache(Fetcher fetcher) {
        this(fetcher, System::nanoTime);
    }

    RobotsCache(Fetcher fetcher, LongSupplier clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * Fetches a node page when robots.txt allows it (or when the config does not respect
     * robots.txt); fails with a {@link NodeFetchException} when it does not.
     */
    public CompletableFuture<Page> fetchIfAllowed(URI url) {
        return fetchIfAllowed(url, Validators.NONE);
    }

    /**
     * As {@link #fetchIfAllowed(URI)}, as a conditional GET when {@code known} holds validators
     * ({@link Fetcher#getHtml(URI, Validators)}).
     */
    public CompletableFuture<Page> fetchIfAllowed(URI url, Validators known) {
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        if (!fetcher.config().respectRobots() || !scheme.startsWith("http")) {
            return fetcher.getHtml(url, known);
        }
        return allowed(url)
                .thenCompose(ok -> ok
                        ? fetcher.getHtml(url, known)
                        : CompletableFuture.failedFuture(new NodeFetchException(
                                url.toString(), 0, "disallowed by robots.txt")));
    }

    /** Completes with whether robots.txt lets us fetch {@code url}; never fails. */
    public CompletableFuture<Boolean> allowed(URI url) {
        return rules(url).thenApply(r -> r.isAllowed(url.toString()));
    }

    private CompletableFuture<BaseRobotRules> rules(URI url) {
        if (url.getRawAuthority() == null) {
            return CompletableFuture.completedFuture(
                    new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL));
        }
        String origin = Links.origin(url);
        long now = clock.getAsLong();
        CompletableFuture<BaseRobotRules> rules;
        synchronized (byHost) {
            Cached c = byHost.get(origin);
            if (c != null && now - c.fetchedAt < TTL_NANOS) {
                return c.rules;
            }
            rules = new CompletableFuture<>();
            byHost.put(origin, new Cached(rules, now));
        }
        URI robots = URI.create(origin + "/robots.txt");
        // The stage whenComplete returns is not needed: the callback completes rules itself.
        var unused = fetcher.get(robots, MAX_ROBOTS_BYTES, false)
                .whenComplete((page, e) -> rules.complete(rulesFrom(robots, page, e)));
        return rules;
    }

    /**
     * The rules a robots.txt response gives; allow-all when it could not be had or read. Never
     * throws (RobotsFuzzTest).
     */
    static BaseRobotRules rulesFrom(URI robots, @Nullable Page page, @Nullable Throwable failure) {
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
        try {
            if (failure != null || page == null) {
                return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
            } else if (page.status() == 200) {
                String type = page.contentType() == null ? "text/plain" : page.contentType();
                return parser.parseContent(robots.toString(), page.body(), type, AGENTS);
            } else {
                return parser.failedFetch(page.status());
            }
        } catch (RuntimeException e) {
            // A parser failure must not leave rules incomplete: allowed() never fails.
            return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
        }
    }
}
