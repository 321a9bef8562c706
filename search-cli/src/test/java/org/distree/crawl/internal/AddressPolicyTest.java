package org.distree.crawl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
    static boolean priv(String ip) throws Exception {
        return AddressPolicy.isPrivate(InetAddress.getByName(ip));
    }

    @Test
    void localAndPrivateAddressesAreRecognized() throws Exception {
        assertThat(priv("127.0.0.2")).isTrue();
        assertThat(priv("10.1.2.3")).isTrue();
        assertThat(priv("192.168.0.1")).isTrue();
        assertThat(priv("169.254.169.254")).isTrue();
        assertThat(priv("0.0.0.0")).isTrue();
        assertThat(priv("::1")).isTrue();
        assertThat(priv("fd00::1")).isTrue();
        assertThat(priv("100.64.0.1")).isTrue();
    }

    @Test
    void publicAddressesAreNot() throws Exception {
        assertThat(priv("93.184.216.34")).isFalse();
        assertThat(priv("2606:4700::1111")).isFalse();
    }
}
