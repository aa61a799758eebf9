package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real OIDC tokens for API tests, got the way a command-line client gets them: the authorization
 * code flow through the issuer's own login form, stopping at the redirect back to the client
 * (nothing needs to listen there), then the code exchanged at the token endpoint.
 */
public final class BearerTokens {

    /** The tokens an issuer's token endpoint answered with. */
    public record Tokens(String accessToken, String idToken) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BearerTokens() {}

    /** From the console's demo issuer, through its public API client with PKCE. */
    public static Tokens fromDemoIssuer(String consoleUrl, String username) {
        String clientId = "eks-access-console-api";
        String redirectUri = "http://127.0.0.1:9/callback";
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(32));
        WebSession browser = new WebSession();
        WebSession.Page login = browser.follow(browser.get(consoleUrl + "/demo-idp/oauth2/authorize?"
                + query(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri,
                        "scope", "openid profile email groups", "state", "s1",
                        "code_challenge", challenge(verifier), "code_challenge_method", "S256"))));
        assertThat(login.url().getPath()).as("demo issuer login form").isEqualTo("/demo-idp/login");
        String code = codeFrom(browser, browser.submit(login, "form[action$=/demo-idp/login]",
                Map.of("username", username, "password", "demo")), redirectUri);
        WebSession.Page token = browser.post(consoleUrl + "/demo-idp/oauth2/token", Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri,
                "client_id", clientId, "code_verifier", verifier), Map.of("Accept", "application/json"));
        return tokens(token);
    }

    /** From Dex, through its LDAP connector's login form, as the console's (confidential) client. */
    public static Tokens fromDex(DexServer dex, String redirectUri, String email, String password) {
        WebSession browser = new WebSession();
        WebSession.Page login = browser.follow(browser.get(dex.issuer() + "/auth?" + query(Map.of(
                "response_type", "code", "client_id", DexServer.CLIENT_ID, "redirect_uri", redirectUri,
                "scope", "openid profile email groups", "state", "s1"))));
        assertThat(login.body()).as("Dex login form at " + login.url()).contains("password");
        String code = codeFrom(browser, browser.submit(login, "form", Map.of("login", email, "password", password)),
                redirectUri);
        String basic = Base64.getEncoder().encodeToString(
                (DexServer.CLIENT_ID + ":" + dex.clientSecret()).getBytes(StandardCharsets.UTF_8));
        WebSession.Page token = browser.post(dex.issuer() + "/token", Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri),
                Map.of("Accept", "application/json", "Authorization", "Basic " + basic));
        return tokens(token);
    }

    private static String codeFrom(WebSession browser, WebSession.Page page, String redirectUri) {
        WebSession.Page current = page;
        for (int hops = 0; hops < 15 && current.isRedirect(); hops++) {
            URI next = current.location();
            if (next.toString().startsWith(redirectUri)) {
                assertThat(next.getQuery()).as("redirect back to the client").contains("state=s1");
                for (String pair : next.getRawQuery().split("&")) {
                    if (pair.startsWith("code=")) {
                        return java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    }
                }
                throw new AssertionError("no code in " + next);
            }
            current = browser.get(next.toString());
        }
        throw new AssertionError("the issuer did not redirect back with a code; last page " + current.url()
                + " (" + current.status() + "):\n" + current.body());
    }

    private static Tokens tokens(WebSession.Page token) {
        assertThat(token.status()).as("token endpoint:\n" + token.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(token.body());
        return new Tokens(json.path("access_token").asString(), json.path("id_token").asString());
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String query(Map<String, String> parameters) {
        Map<String, String> ordered = new LinkedHashMap<>(parameters);
        StringBuilder query = new StringBuilder();
        ordered.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /** A token no issuer of this console signed. */
    public static String forged() {
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"mallory\",\"aud\":\"eks-access-console\",\"groups\":[\"console-admins\"],"
                + "\"exp\":4102444800,\"jti\":\"" + UUID.randomUUID() + "\"}");
        return header + "." + claims + "." + b64("not-a-signature");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
