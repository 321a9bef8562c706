package org.distree.server.http;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request rate per client address: {@code rate} requests a second on average, and up to
 * {@code burst} at once; a request over that is answered by {@code refuse} (429 with
 * Retry-After) and goes no further.
 *
 * <p>Lock-free: each client has one number, the time its allowance is spent up to (the
 * generic cell rate algorithm, a token bucket kept as a time), moved forward by one interval
 * ({@code 1/rate} s) per request with a compare-and-set; a request is refused when that would
 * put it more than {@code burst} intervals ahead of now, and then sets it to exactly that, so
 * a client that keeps sending faster than the rate is refused until it pauses for one interval
 * (refused requests count, as with Jetty's DoSHandler). A client whose allowance is whole again
 * needs no state, so when {@code maxClients} addresses are tracked (100,000 in the daemon)
 * those are dropped; if every tracked client is still active, a new address is refused until
 * some are not. A pause of one interval (at most 1 s) earns a request, so Retry-After is
 * always 1.
 */
final class RateLimit extends Handler.Wrapper {
    /** Sweeps for idle clients at most this often when the table is full: 100 ms. */
    private static final long SWEEP_NANOS = 100_000_000L;

    private final long interval;
    private final long tolerance;
    private final int maxClients;
    private final Request.Handler refuse;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, AtomicLong> clients = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /**
     * @param rate requests a second allowed per client, at least 1
     * @param burst requests a client may make at once, at least 1
     * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    RateLimit(
            Handler next,
            int rate,
            int burst,
            int maxClients,
            Request.Handler refuse,
            LongSupplier nanos) {
        super(next);
        if (rate < 1 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("rate " + rate + ", burst " + burst + " and clients "
                    + maxClients + " must each be at least 1");
        }
        this.interval = 1_000_000_000L / rate;
        this.tolerance = interval * burst;
        this.maxClients = maxClients;
        this.refuse = refuse;
        this.nanos = nanos;
        this.lastSweep = new AtomicLong(nanos.getAsLong() - SWEEP_NANOS);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (admit(client(Request.getRemoteAddr(request)))) {
            return super.handle(request, response, callback);
        }
        return refuse.handle(request, response, callback);
    }

    /**
     * The client an address counts as: an IPv4 address itself, an IPv6 address by its /64
     * prefix (one host commonly holds a whole /64, and could otherwise fill the table of
     * clients with addresses of its own and lock everyone else out).
     */
    static String client(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            java.net.InetAddress parsed = java.net.InetAddress.getByName(address);
            byte[] a = parsed.getAddress();
            if (a.length != 16) {
                return parsed.getHostAddress(); // an IPv4-mapped address: its IPv4 address
            }
            StringBuilder prefix = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)))
                        .append(':');
            }
            return prefix.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return address; // not a literal address: counted as it is
        }
    }

    /** Takes one request from the client's allowance; false when there is none left. */
    boolean admit(String client) {
        long now = nanos.getAsLong();
        AtomicLong spent = clients.get(client);
        if (spent == null) {
            if (clients.size() >= maxClients && !sweep(now)) {
                return false;
            }
            spent = clients.computeIfAbsent(client, c -> new AtomicLong(now));
        }
        while (true) {
            long s = spent.get();
            long next = Math.max(s, now) + interval;
            if (next - now > tolerance) {
                // A refused request counts too: a client that keeps sending gets nothing
                // until it pauses for an interval (as Jetty's DoSHandler did).
                spent.accumulateAndGet(now + tolerance, Math::max);
                return false;
            }
            if (spent.compareAndSet(s, next)) {
                return true;
            }
        }
    }

    /** Drops clients whose allowance is whole; true when there is room for another. */
    private boolean sweep(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_NANOS && lastSweep.compareAndSet(last, now)) {
            Iterator<AtomicLong> it = clients.values().iterator();
            while (it.hasNext()) {
                if (it.next().get() - now <= 0) {
                    it.remove();
                }
            }
        }
        return clients.size() < maxClients;
    }

    /** Clients tracked now (for tests). */
    int tracked() {
        return clients.size();
    }
}
