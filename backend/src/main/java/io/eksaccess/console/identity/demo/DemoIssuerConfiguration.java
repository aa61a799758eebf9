package io.eksaccess.console.identity.demo;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.eksaccess.console.system.SecurityHeaders;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * The built-in demo OIDC issuer (Spring Authorization Server) under {@value #PATH}. It exists only
 * while no {@code console.oidc.issuer-uri} is configured, so that the console can be tried with no
 * identity provider; every page then carries a DEMO banner.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${console.oidc.issuer-uri:}'.isBlank()")
class DemoIssuerConfiguration {

    static final String PATH = "/demo-idp";
    /**
     * The issuer shares the browser's session with the console. With the default session attribute
     * its saved authorization request would overwrite the page the person asked the console for
     * (they would land on / instead of, say, /audit); so it keeps its own.
     */
    static final String SAVED_REQUEST_ATTRIBUTE = "DEMO_ISSUER_SAVED_REQUEST";

    @Bean
    @Order(1)
    SecurityFilterChain demoIssuerSecurityFilterChain(
            HttpSecurity http, UserDetailsService demoPeople, SecurityHeaders securityHeaders) throws Exception {
        http.securityMatcher(PATH + "/**")
                .oauth2AuthorizationServer(issuer -> issuer
                        .authorizationEndpoint(endpoint -> endpoint.authenticationProviders(providers -> providers
                                .stream()
                                .filter(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::isInstance)
                                .map(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::cast)
                                .forEach(provider ->
                                        provider.setAuthenticationValidator(new SameHostRedirectValidator()))))
                        .oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PATH + "/login").permitAll()
                        .anyRequest().authenticated())
                .formLogin(login -> login.loginPage(PATH + "/login").loginProcessingUrl(PATH + "/login"))
                // Whatever the Accept header says, a person who is not signed in goes to the login form.
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(
                        new LoginUrlAuthenticationEntryPoint(PATH + "/login")))
                .requestCache(cache -> cache.requestCache(issuerRequestCache()))
                .userDetailsService(demoPeople)
                .headers(securityHeaders);
        return http.build();
    }

    private static HttpSessionRequestCache issuerRequestCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setSessionAttrName(SAVED_REQUEST_ATTRIBUTE);
        return cache;
    }

    /** Used by the issuer's form login and its client authentication alike (see {@link PublishedSecrets}). */
    @Bean
    PasswordEncoder demoIssuerPasswords() {
        return new PublishedSecrets();
    }

    @Bean
    UserDetailsService demoPeople() {
        return new InMemoryUserDetailsManager(DemoPeople.ALL.stream()
                .map(person -> User.withUsername(person.username())
                        .password(DemoPeople.PASSWORD)
                        .roles("DEMO_PERSON")
                        .build())
                .toList());
    }

    @Bean
    RegisteredClientRepository demoRegisteredClients(ClientRegistrationRepository consoleClients) {
        String secret = ((DemoClientRegistrationRepository) consoleClients).clientSecret();
        RegisteredClient console = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(DemoClientRegistrationRepository.CLIENT_ID)
                .clientSecret(secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                // Any port and host of this process: the redirect lands where the person started.
                .redirectUri("http://localhost/login/oauth2/code/" + DemoClientRegistrationRepository.REGISTRATION_ID)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .scope(OidcScopes.EMAIL)
                .scope("groups")
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                .build();
        RegisteredClient api = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(DemoClientRegistrationRepository.API_CLIENT_ID)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("http://127.0.0.1/callback")
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .scope(OidcScopes.EMAIL)
                .scope("groups")
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .build();
        return new InMemoryRegisteredClientRepository(console, api);
    }

    @Bean
    AuthorizationServerSettings demoIssuerSettings() {
        return AuthorizationServerSettings.builder()
                .authorizationEndpoint(PATH + "/oauth2/authorize")
                .pushedAuthorizationRequestEndpoint(PATH + "/oauth2/par")
                .deviceAuthorizationEndpoint(PATH + "/oauth2/device_authorization")
                .deviceVerificationEndpoint(PATH + "/oauth2/device_verification")
                .tokenEndpoint(PATH + "/oauth2/token")
                .jwkSetEndpoint(PATH + "/oauth2/jwks")
                .tokenRevocationEndpoint(PATH + "/oauth2/revoke")
                .tokenIntrospectionEndpoint(PATH + "/oauth2/introspect")
                .clientRegistrationEndpoint(PATH + "/oauth2/register")
                .oidcClientRegistrationEndpoint(PATH + "/connect/register")
                .oidcUserInfoEndpoint(PATH + "/userinfo")
                .oidcLogoutEndpoint(PATH + "/connect/logout")
                .build();
    }

    @Bean
    JWKSource<SecurityContext> demoIssuerKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        RSAKey rsa = new RSAKey.Builder((RSAPublicKey) keys.getPublic())
                .privateKey((RSAPrivateKey) keys.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(rsa));
    }

    /**
     * Puts the demo person's name, email and groups into the ID token and the access token, as Dex
     * would; the JSON API reads the groups from whichever token a program sends.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> demoIdTokenClaims() {
        return context -> {
            String type = context.getTokenType().getValue();
            if (!"id_token".equals(type) && !"access_token".equals(type)) {
                return;
            }
            DemoPeople.byUsername(context.getPrincipal().getName()).ifPresent(person -> context.getClaims()
                    .claim("name", person.displayName())
                    .claim("preferred_username", person.username())
                    .claim("email", person.email())
                    .claim("groups", person.groups()));
        };
    }
}
