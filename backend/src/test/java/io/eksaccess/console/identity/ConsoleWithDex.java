package io.eksaccess.console.identity;

import io.eksaccess.console.testsupport.DexServer;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console wired to a real Dex (people sign in through Dex's login form, the demo issuer is
 * off), on a port of its own. Its subclasses share one Dex and one console: the same wiring, so
 * Spring reuses the context. Dex stops with the JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@RunsAlongside(seconds = 10)
@ResourceLock("console-with-dex")
abstract class ConsoleWithDex {

    static final int PORT = FreePorts.next();
    static final String CONSOLE = "http://localhost:" + PORT;
    static final String CALLBACK = CONSOLE + "/login/oauth2/code/oidc";
    static final DexServer DEX = DexServer.start(List.of(CALLBACK));

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("server.port", Once.of(() -> PORT));
        registry.add("spring.datasource.url", Once.of(TestPostgres::newDatabase));
        registry.add("console.oidc.issuer-uri", Once.of(DEX::issuer));
        registry.add("console.oidc.client-id", Once.of(() -> DexServer.CLIENT_ID));
        registry.add("console.oidc.client-secret", Once.of(DEX::clientSecret));
        registry.add("console.oidc.display-name", Once.of(() -> "Dex"));
    }
}
