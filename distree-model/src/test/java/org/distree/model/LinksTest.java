package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LinksTest {
    private static String origin(String url) {
        return Links.origin(URI.create(url));
    }

    @Test
    void originNamesSchemeHostAndPort() {
        assertThat(origin("http://A.example:81/x")).isEqualTo("http://a.example:81");
        assertThat(origin("file:///tmp/x.html")).isEqualTo("file:");
    }

    @Test
    void anOriginIsTheSameWhateverTheCaseOfSchemeAndHost() {
        assertThat(origin("HTTP://B.Example/n/1.html")).isEqualTo("http://b.example");
        assertThat(origin("https://WWW.EXAMPLE.ORG:8443/a?q#f"))
                .isEqualTo("https://www.example.org:8443");
        assertThat(origin("HTTP://B.Example/n/1.html")).isEqualTo(origin("http://b.example/"));
    }

    @Test
    void theDefaultPortIsDroppedAndNoOther() {
        assertThat(origin("http://b.example:80/n/1.html")).isEqualTo("http://b.example");
        assertThat(origin("https://b.example:443/")).isEqualTo("https://b.example");
        assertThat(origin("http://b.example:443/")).isEqualTo("http://b.example:443");
        assertThat(origin("https://b.example:80/")).isEqualTo("https://b.example:80");
        assertThat(origin("http://127.0.0.1:8080/index.html")).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void userInfoPathQueryAndFragmentAreNotPartOfIt() {
        assertThat(origin("http://user:Secret@B.example:80/n/1.html?x=1#moved-2"))
                .isEqualTo("http://b.example");
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        assertThat(origin("http://[::1]:8080/n/1.html")).isEqualTo("http://[::1]:8080");
        assertThat(origin("http://[FE80::1]:80/")).isEqualTo("http://[fe80::1]");
    }

    @Test
    void aHostJavaDoesNotParseIsStillLowerCasedAndItsDefaultPortDropped() {
        // java.net.URI takes a name with '_' as a registry-based authority, with no host.
        assertThat(URI.create("http://My_Host:80/x").getHost()).isNull();
        assertThat(origin("http://My_Host:80/x")).isEqualTo("http://my_host");
        assertThat(origin("http://u@My_Host:8080/x")).isEqualTo("http://my_host:8080");
    }

    @Test
    void defaultPorts() {
        assertThat(Links.defaultPort("http")).isEqualTo(80);
        assertThat(Links.defaultPort("https")).isEqualTo(443);
        assertThat(Links.defaultPort("file")).isEqualTo(-1);
    }
}
