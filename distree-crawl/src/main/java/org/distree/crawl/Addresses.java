package org.distree.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Predicate;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The one place that tells public internet addresses from loopback, private, link-local and
 * other special ones. Outbound fetches from a daemon refuse the latter unless the operator
 * allows them; the daemon checks submitted URLs with the same test.
 */
public final class Addresses {
    private Addresses() {}

    /** How a host name becomes addresses: the system's resolver ({@link #SYSTEM}), or a test's. */
    @FunctionalInterface
    public interface Lookup {
        /**
         * Every address {@code host} resolves to, now.
         *
         * @throws UnknownHostException when it resolves to none
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The system's resolver (the JVM's, which asks the operating system). */
    public static final Lookup SYSTEM = SystemDefaultDnsResolver.INSTANCE::resolve;

    /**
     * A resolver for HttpClient 5 that, unless {@code allowPrivate}, refuses a host name that
     * resolves to any address that is not public, so that outside input cannot point a fetch at
     * the machine's own network. It checks every address a name resolves to, and the targets of
     * redirects pass through it too.
     */
    public static DnsResolver resolver(boolean allowPrivate) {
        return resolver(SYSTEM, allowPrivate ? a -> true : Addresses::isPublic);
    }

    /**
     * A resolver for HttpClient 5 that asks {@code lookup} for a host's addresses and refuses the
     * host (an {@link UnknownHostException} naming the address) when any of them fails {@code
     * allowed}. HttpClient calls it for every new connection, redirects included, and connects
     * only to the addresses it returns: the check holds at connect time, so a name that resolved
     * to a public address once and resolves to a private one later (DNS rebinding) is refused
     * then. A host given as a literal address passes through it too, in whatever form the
     * system reads ({@code 0177.0.0.1}, {@code 0x7f.1}, {@code 2130706433}): what is judged is
     * the address read, not its spelling. Tests give a lookup of their own and count a loopback
     * address of theirs as public ({@code AttackSsrfIT}); {@link #resolver(boolean)} is the one
     * the code uses.
     */
    public static DnsResolver resolver(Lookup lookup, Predicate<InetAddress> allowed) {
        return new Resolver(lookup, allowed);
    }

    private static final class Resolver implements DnsResolver {
        private final Lookup lookup;
        private final Predicate<InetAddress> allowed;

        Resolver(Lookup lookup, Predicate<InetAddress> allowed) {
            this.lookup = lookup;
            this.allowed = allowed;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] all = lookup.resolve(host);
            for (InetAddress a : all) {
                if (!allowed.test(a)) {
                    throw new UnknownHostException(host + " resolves to " + a.getHostAddress()
                            + ", a private or local address (not allowed here)");
                }
            }
            return all;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    /**
     * True for an address on the public internet: not loopback, private (10/8, 172.16/12,
     * 192.168/16, fc00::/7), link-local, shared (100.64/10), multicast, unspecified, reserved,
     * benchmarking or documentation space, nor in ::/96 (which holds the deprecated
     * IPv4-compatible form); an IPv6 address that carries an IPv4 one it reaches (IPv4-mapped
     * {@code ::ffff:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo {@code
     * 2001::/32}) is judged by that IPv4 address, and NAT64's local-use {@code 64:ff9b:1::/48}
     * is not public.
     */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress()
                || a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return !(b0 == 0
                    || b0 >= 240 // this network; reserved and broadcast
                    || (b0 == 100 && b1 >= 64 && b1 < 128) // shared address space (CGNAT)
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 2) // documentation TEST-NET-1
                    || (b0 == 198 && b1 == 51 && (b[2] & 0xff) == 100) // documentation TEST-NET-2
                    || (b0 == 203 && b1 == 0 && (b[2] & 0xff) == 113) // documentation TEST-NET-3
                    || (b0 == 198 && (b1 == 18 || b1 == 19))); // benchmarking
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            if (zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return isPublic4(b[12], b[13], b[14], b[15]); // IPv4-mapped ::ffff:0:0/96
            }
            if (zeros && b[10] == 0 && b[11] == 0) {
                return false; // ::/96: unspecified, loopback, the deprecated IPv4-compatible form
            }
            int b1 = b[1] & 0xff;
            if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                // NAT64: 64:ff9b::/96 reaches the IPv4 address in its last 4 bytes (RFC 6052);
                // 64:ff9b:1::/48 is for local use (RFC 8215).
                return b[4] == 0 && b[5] == 0 && isPublic4(b[12], b[13], b[14], b[15]);
            }
            if (b0 == 0x20 && b1 == 0x02) {
                return isPublic4(b[2], b[3], b[4], b[5]); // 6to4 2002::/16 (RFC 3056)
            }
            if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
                // Teredo 2001::/32: the client's IPv4 address, inverted, in its last 4 bytes.
                return isPublic4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]);
            }
            if (b0 == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // documentation 2001:db8::/32
            }
        }
        return true;
    }

    private static boolean isPublic4(byte b0, byte b1, byte b2, byte b3) {
        try {
            return isPublic(InetAddress.getByAddress(new byte[] {b0, b1, b2, b3}));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
