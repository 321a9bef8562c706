package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private RateLimit limit(int rate, int burst, int clients) {
        return new RateLimit(
                new Handler.Abstract() {
                    @Override
                    public boolean handle(
                            org.eclipse.jetty.server.Request request,
                            org.eclipse.jetty.server.Response response,
                            org.eclipse.jetty.util.Callback callback) {
                        return false;
                    }
                },
                rate,
                burst,
                clients,
                (request, response, callback) -> false,
                now::get);
    }

    @Test
    void aClientGetsItsBurstThenTheRate() {
        RateLimit l = limit(10, 5, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(l.admit("a")).as("request %d", i).isTrue();
        }
        assertThat(l.admit("a")).isFalse();
        assertThat(l.admit("b")).isTrue(); // another client has its own allowance
        now.addAndGet(100_000_000L); // one interval at 10/s
        assertThat(l.admit("a")).isTrue();
        assertThat(l.admit("a")).isFalse();
        now.addAndGet(10_000_000_000L); // a long pause refills only up to the burst
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += l.admit("a") ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void aClientThatKeepsSendingIsRefusedUntilItPausesForAnInterval() {
        RateLimit l = limit(10, 2, 100);
        assertThat(l.admit("a")).isTrue();
        assertThat(l.admit("a")).isTrue();
        for (int i = 0; i < 30; i++) {
            now.addAndGet(50_000_000L); // every 50 ms, twice the rate: each one refused
            assertThat(l.admit("a")).as("request %d", i).isFalse();
        }
        now.addAndGet(100_000_000L); // a pause of one interval at 10/s
        assertThat(l.admit("a")).isTrue();
    }

    @Test
    void concurrentRequestsNeverExceedTheBurst() throws Exception {
        RateLimit l = limit(1, 50, 100);
        AtomicInteger admitted = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    if (l.admit("a")) {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted.get()).isEqualTo(50);
    }

    @Test
    void aFullTableDropsIdleClientsAndRefusesNewOnesWhileAllAreActive() {
        RateLimit l = limit(10, 2, 3);
        assertThat(l.admit("a")).isTrue();
        assertThat(l.admit("b")).isTrue();
        assertThat(l.admit("c")).isTrue();
        assertThat(l.admit("d")).isFalse(); // all three still spending their allowance
        assertThat(l.tracked()).isEqualTo(3);
        now.addAndGet(1_000_000_000L);
        assertThat(l.admit("d")).isTrue(); // the idle ones were dropped
        assertThat(l.tracked()).isEqualTo(1);
    }

    @Test
    void settingsBelowOneAreRefused() {
        assertThatThrownBy(() -> limit(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate 0");
    }

    @Test
    void ipv6ClientsCountByTheirSlash64AndIpv4ByTheirAddress() {
        assertThat(RateLimit.client("2001:db8:1:2:aaaa::1"))
                .isEqualTo(RateLimit.client("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimit.client("2001:db8:1:3::1"))
                .isNotEqualTo(RateLimit.client("2001:db8:1:2::1"));
        assertThat(RateLimit.client("[2001:db8:1:2::7]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimit.client("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(RateLimit.client("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
