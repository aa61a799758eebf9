package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.ConsoleIntegrationTest;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.WebSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue #20: links pasted with aws-auth template braces open, and whatever the servlet container
 * itself refuses (before or outside Spring) is answered with the console's error page, never
 * Tomcat's. Requests go over a raw socket: Java's HTTP client would percent-encode what a pasted
 * link or a broken client sends as is.
 */
@ConsoleIntegrationTest
class ContainerErrorPagesTest {

    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @LocalServerPort
    int port;

    record Raw(int status, String head, String body) {
        Document html() {
            return Jsoup.parse(body);
        }
    }

    @Test
    void aLinkWithRawTemplateBracesOpensTheFormPrefilled() throws IOException {
        String cookie = signedIn("requester");
        Raw form = raw("GET /requests/new?kind=MAP_ROLE&username=dev:{{SessionName}}&groups=a|b HTTP/1.1\r\n"
                + "Cookie: " + cookie + "\r\n");
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(form.html().select("input[name=username]").val()).isEqualTo("dev:{{SessionName}}");
    }

    @Test
    void requestsTheConnectorRefusesGetTheConsolesErrorPage() throws IOException {
        Raw caret = raw("GET /requests?q=a^b HTTP/1.1\r\n");
        assertConsolePage(caret, 400);
        assertThat(caret.html().select("h1").text()).isEqualTo("The console could not read this request");

        assertConsolePage(raw("GET /requests/%zz HTTP/1.1\r\n"), 400);
        assertConsolePage(raw("GET / HTTP/1.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n"), 400);
        assertConsolePage(raw("GET /not\"quoted HTTP/1.1\r\n"), 400);
        assertConsolePage(raw("TRACE / HTTP/1.1\r\n"), 405);
    }

    @Test
    void notFoundOutsideControllersGetsTheConsolesErrorPage() throws IOException {
        String cookie = signedIn("admin");
        Raw missing = raw("GET /no/such/page HTTP/1.1\r\nCookie: " + cookie + "\r\n");
        assertConsolePage(missing, 404);
        assertThat(missing.html().select("h1").text()).isEqualTo("Not found");
        assertConsolePage(raw("GET /css/no-such.css HTTP/1.1\r\nCookie: " + cookie + "\r\n"), 404);
    }

    @Test
    void aMissingRequestOrClusterIsNamedOnTheNotFoundPage() throws IOException {
        String cookie = signedIn("admin");
        Raw request = raw("GET /requests/987654321 HTTP/1.1\r\nCookie: " + cookie + "\r\n");
        assertConsolePage(request, 404);
        assertThat(request.html().select("#error-refusal").text()).isEqualTo("There is no request #987654321");
        // Every tab of a cluster that is not (or no longer) registered says which name it looked for.
        for (String tab : new String[] {"", "/findings", "/mappings", "/rbac", "/access-entries"}) {
            Raw cluster = raw("GET /clusters/no-such-cluster-404" + tab + " HTTP/1.1\r\nCookie: " + cookie + "\r\n");
            assertConsolePage(cluster, 404);
            assertThat(cluster.html().select("#error-refusal").text()).as(tab)
                    .isEqualTo("There is no cluster named 'no-such-cluster-404'.");
        }
        // A name from the address is echoed capped.
        Raw longName = raw("GET /clusters/" + "n".repeat(500) + " HTTP/1.1\r\nCookie: " + cookie + "\r\n");
        assertConsolePage(longName, 404);
        assertThat(longName.html().select("#error-refusal").text()).hasSize(301).endsWith("n…");
    }

    @Test
    void aParameterSpringCannotReadGetsTheConsoles400Page() throws IOException {
        String cookie = signedIn("requester");
        Raw refused = raw("GET /requests/new?duration=eight HTTP/1.1\r\nCookie: " + cookie + "\r\n");
        assertConsolePage(refused, 400);
        assertThat(refused.html().select("h1").text()).isEqualTo("The console could not read this request");
    }

    private void assertConsolePage(Raw answer, int status) {
        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(status);
        assertThat(answer.body()).doesNotContainIgnoringCase("Apache Tomcat").doesNotContain("HTTP Status");
        assertThat(answer.head().toLowerCase(Locale.ROOT)).contains("content-type: text/html");
        Document page = answer.html();
        assertThat(page.title()).isEqualTo("Error " + status + " · EKS Access Console");
        assertThat(page.select("section.error-page h1").text()).isNotBlank();
        assertThat(page.select("link[rel=stylesheet][href=/css/console.css]")).hasSize(1);
        assertThat(page.select("section.error-page a[href=/]").text()).isEqualTo("Back to the dashboard");
    }

    private String signedIn(String username) {
        WebSession browser = new WebSession();
        String console = "http://localhost:" + port;
        SignIn.viaDemoIssuer(browser, console, username);
        return browser.cookieHeader(console + "/");
    }

    /** Sends the request line and headers exactly as given (asking for HTML, as a browser does); reads the answer. */
    private Raw raw(String requestAndHeaders) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestAndHeaders + "Host: localhost:" + port + "\r\nAccept: " + BROWSER_ACCEPT
                    + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] all = readAll(socket.getInputStream());
            int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            String head = new String(all, 0, split + 2, StandardCharsets.ISO_8859_1);
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            in.transferTo(bytes);
        } catch (java.net.SocketException resetAfterAnswer) {
            // Tomcat may reset a connection it refused once the answer is out; what arrived counts.
        }
        return bytes.toByteArray();
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, crlf, at);
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        for (int i = from; i <= data.length - pattern.length; i++) {
            if (java.util.Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalStateException("no " + new String(pattern, StandardCharsets.ISO_8859_1).strip()
                + " in the answer: " + new String(data, StandardCharsets.ISO_8859_1));
    }
}
