package dev.orrery.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UrlCredentialsTest {
  @Test
  void userInformationBecomesABasicAuthHeaderAndLeavesTheUrl() {
    UrlCredentials c = UrlCredentials.of(URI.create("https://ruler:p%40ss:word@querier.example:10902/thanos/"));
    assertThat(c.url()).isEqualTo(URI.create("https://querier.example:10902/thanos/"));
    // Percent-decoded; the password is everything after the first colon.
    assertThat(new String(Base64.getDecoder().decode(c.authorization().substring("Basic ".length())),
        StandardCharsets.UTF_8)).isEqualTo("ruler:p@ss:word");
    assertThat(UrlCredentials.of(URI.create("http://user@h:1")).authorization())
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:".getBytes(StandardCharsets.UTF_8)));
    UrlCredentials none = UrlCredentials.of(URI.create("http://127.0.0.1:9090"));
    assertThat(none.url()).isEqualTo(URI.create("http://127.0.0.1:9090"));
    assertThat(none.authorization()).isNull();
    assertThat(UrlCredentials.redacted(URI.create("http://u:secret@h:1/p"))).isEqualTo("http://h:1/p");
  }
}
