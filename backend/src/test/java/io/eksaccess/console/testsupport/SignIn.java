package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Signs a person in to the console the way a browser does, through the issuer's real login form. */
public final class SignIn {

    private SignIn() {}

    /** Through the built-in demo issuer. Returns the page the person lands on (the dashboard). */
    public static WebSession.Page viaDemoIssuer(WebSession session, String consoleUrl, String username) {
        WebSession.Page loginForm = session.follow(session.get(consoleUrl + "/oauth2/authorization/demo"));
        assertThat(loginForm.url().getPath()).as("demo issuer login form").isEqualTo("/demo-idp/login");
        WebSession.Page landed = session.follow(session.submit(
                loginForm, "form[action$=/demo-idp/login]", Map.of("username", username, "password", "demo")));
        assertThat(landed.status()).as("landing page after sign-in:\n" + landed.body()).isEqualTo(200);
        return landed;
    }

    /** Through Dex's own login form (the local password connector). */
    public static WebSession.Page viaDex(WebSession session, String consoleUrl, String email, String password) {
        WebSession.Page loginForm = session.follow(session.get(consoleUrl + "/oauth2/authorization/oidc"));
        assertThat(loginForm.body()).as("Dex login form at " + loginForm.url()).contains("password");
        WebSession.Page landed =
                session.follow(session.submit(loginForm, "form", Map.of("login", email, "password", password)));
        assertThat(landed.status()).as("landing page after sign-in:\n" + landed.body()).isEqualTo(200);
        return landed;
    }
}
