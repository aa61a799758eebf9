package io.eksaccess.console.journey;

import io.eksaccess.console.testsupport.Browser;
import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Kubeconfig;
import io.eksaccess.console.testsupport.LdapDirectory;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console as people meet it, for browser journeys in Chromium: on a port of its own, wired
 * to a real Dex (people sign in through Dex's login form), its own PostgreSQL database, and a
 * real API server of its own seeded with the demo cluster's data (namespaces, RBAC and an
 * aws-auth with deliberate findings), registered as cluster {@value #CLUSTER}, next to a cluster
 * {@value #UNREACHABLE} whose endpoint does not resolve.
 *
 * <p>Every subclass shares this one console (same wiring, so Spring reuses the context), one
 * Dex and one API server; each journey opens the browsers it needs with {@link #browserFor}
 * (a fresh profile each, so several people can be signed in at once) and they are closed after
 * each test. Screenshots: {@link Browser#screenshot}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@RunsAlongside(seconds = 15)
@ResourceLock("console-in-chromium")
abstract class ConsoleInChromium {

    static final String CLUSTER = "demo";
    static final String UNREACHABLE = "unreachable";
    static final int PORT = FreePorts.next();
    /** 127.0.0.1 rather than localhost: Chromium and the console then agree on one cookie host. */
    static final String CONSOLE = "http://127.0.0.1:" + PORT;
    static final DexServer DEX = DexServer.start(List.of(CONSOLE + "/login/oauth2/code/oidc"));
    static final KubeApiServer API_SERVER = seededApiServer();

    private final List<Browser> browsers = new ArrayList<>();

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("server.port", Once.of(() -> PORT));
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.oidc.issuer-uri", Once.of(DEX::issuer));
        registry.add("console.oidc.client-id", Once.of(() -> DexServer.CLIENT_ID));
        registry.add("console.oidc.client-secret", Once.of(DEX::clientSecret));
        registry.add("console.oidc.display-name", Once.of(() -> "Dex"));
        registry.add("console.clusters.kubeconfig", Once.of(() -> kubeconfig().toString()));
    }

    /** A new Chromium signed in as this person through Dex's form, on the dashboard. */
    Browser browserFor(LdapDirectory.Person person) {
        Browser browser = anonymousBrowser();
        browser.signInViaDex(CONSOLE, person, DexServer.PASSWORD);
        return browser;
    }

    /** A new Chromium that has not signed in. */
    Browser anonymousBrowser() {
        Browser browser = Browser.start();
        browsers.add(browser);
        return browser;
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
        browsers.clear();
    }

    private static KubeApiServer seededApiServer() {
        KubeApiServer server = KubeApiServer.startDedicated();
        try (InputStream demo = ConsoleInChromium.class.getResourceAsStream("/demo/demo-cluster.yaml")) {
            server.apply(new String(demo.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    private static Path kubeconfig() {
        return Kubeconfig.write(API_SERVER.context(CLUSTER),
                new Kubeconfig.Context(UNREACHABLE, "https://api.nowhere.invalid:6443", KubeApiServer.ADMIN.token()));
    }
}
