package dev.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy sameOriginOnly = new OriginPolicy(List.of());

    @Test
    void requestsWithoutOriginAreNotFromBrowsersAndPass() {
        assertThat(sameOriginOnly.allows(null, "example.com")).isTrue();
    }

    @Test
    void theServersOwnOriginPasses() {
        assertThat(sameOriginOnly.allows("http://example.com:3000", "example.com:3000")).isTrue();
        assertThat(sameOriginOnly.allows("http://EXAMPLE.com", "example.com")).isTrue();
        assertThat(sameOriginOnly.allows("http://example.com", "example.com:80")).isTrue();
        // TLS ended by a proxy: the Host has no port, the page is https.
        assertThat(sameOriginOnly.allows("https://example.com", "example.com")).isTrue();
        assertThat(sameOriginOnly.allows("http://[::1]:3000", "[::1]:3000")).isTrue();
    }

    @Test
    void anotherHostOrPortIsForeign() {
        assertThat(sameOriginOnly.allows("http://evil.example", "example.com")).isFalse();
        assertThat(sameOriginOnly.allows("http://example.com:3001", "example.com:3000")).isFalse();
        assertThat(sameOriginOnly.allows("https://example.com", "example.com:80")).isFalse();
        assertThat(sameOriginOnly.allows("http://example.com.evil.example", "example.com")).isFalse();
        assertThat(sameOriginOnly.allows("null", "example.com")).isFalse();
        assertThat(sameOriginOnly.allows("http://example.com", null)).isFalse();
        assertThat(sameOriginOnly.allows("not a url", "example.com")).isFalse();
    }

    @Test
    void listedOriginsPassCaseAndTrailingSlashAside() {
        OriginPolicy listed = new OriginPolicy(List.of("https://App.example/"));
        assertThat(listed.allows("https://app.example", "api.example")).isTrue();
        assertThat(listed.isListed("https://app.example")).isTrue();
        assertThat(listed.allows("http://app.example", "api.example")).isFalse();
        assertThat(listed.allowsAny()).isFalse();
    }

    @Test
    void aStarAllowsAnyOrigin() {
        OriginPolicy any = new OriginPolicy(List.of("*"));
        assertThat(any.allows("https://anyone.example", "api.example")).isTrue();
        assertThat(any.allowsAny()).isTrue();
        assertThat(any.isListed("https://anyone.example")).isFalse();
    }
}
