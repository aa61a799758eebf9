package io.eksaccess.console.identity.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The demo issuer checks its published password and its client secret as stored, and keeps them so:
 * Spring's default encoder re-hashed both with BCrypt at every sign-in and token exchange.
 */
@ConsoleIntegrationTest
class DemoIssuerSecretsTest {

    @LocalServerPort
    int port;

    @Autowired
    UserDetailsService demoPeople;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    DemoClientRegistrationRepository consoleClient;

    @Test
    void aSignInAndItsTokenExchangeLeaveThePasswordAndClientSecretAsStored() {
        SignIn.viaDemoIssuer(new WebSession(), "http://localhost:" + port, "admin");
        SignIn.viaDemoIssuer(new WebSession(), "http://localhost:" + port, "admin");

        assertThat(demoPeople.loadUserByUsername("admin").getPassword()).isEqualTo(DemoPeople.PASSWORD);
        assertThat(clients.findByClientId(DemoClientRegistrationRepository.CLIENT_ID).getClientSecret())
                .isEqualTo(consoleClient.clientSecret());
    }

    @Test
    void onlyTheExactSecretMatches() {
        PublishedSecrets secrets = new PublishedSecrets();
        assertThat(secrets.matches("demo", "demo")).isTrue();
        assertThat(secrets.matches("demo", "demo ")).isFalse();
        assertThat(secrets.matches("Demo", "demo")).isFalse();
        assertThat(secrets.matches("", "demo")).isFalse();
        assertThat(secrets.matches(null, "demo")).isFalse();
        assertThat(secrets.matches("demo", null)).isFalse();
        assertThat(secrets.upgradeEncoding("demo")).isFalse();
    }
}
