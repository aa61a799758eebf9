package io.eksaccess.console.system;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * What Tomcat decides on its own, before a request reaches Spring. Links pasted with aws-auth
 * templates ({@code ?username=dev:{{SessionName}}}, {@code kind=MAP_ROLE|MAP_USER}) carry characters
 * Tomcat refuses unencoded by default, so those are accepted in paths and query strings. What Tomcat
 * still refuses (a malformed request line or escape, headers too large, TRACE) never reaches
 * {@code /error}; its host-level error report is replaced by a static page in the console's frame
 * built from the same messages as {@code error.html}, so no Tomcat-branded page is ever shown.
 * Errors inside the application keep going to {@code /error} (Boot's error page on the context).
 */
@Component
class TomcatFrontDoor implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    /**
     * Refused unencoded by default (RFC 3986), harmless here: braces and pipes of templates and
     * prefill links, brackets of pasted YAML lists. {@code " < > \ ^ `} stay refused.
     */
    static final String RELAXED_CHARS = "{}|[]";

    private final MessageSource messages;

    TomcatFrontDoor(MessageSource messages) {
        this.messages = messages;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("relaxedQueryChars", RELAXED_CHARS);
            connector.setProperty("relaxedPathChars", RELAXED_CHARS);
        });
        String contextPath = factory.getSettings().getContextPath().toString();
        factory.addContextCustomizers(context -> {
            // The host adds its default valve at start unless one of its configured class is there.
            Host host = (Host) context.getParent();
            ((StandardHost) host).setErrorReportValveClass(ConsoleErrorReportValve.class.getName());
            host.getPipeline().addValve(new ConsoleErrorReportValve(status -> page(status, contextPath)));
        });
    }

    String page(int status, String contextPath) {
        String kind = switch (status) {
            case 400, 404, 413 -> String.valueOf(status);
            default -> "other";
        };
        String home = HtmlUtils.htmlEscape(contextPath + "/");
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <meta name="color-scheme" content="light dark">
                  <title>%1$s</title>
                  <link rel="stylesheet" href="%2$swebjars/picocss__pico/css/pico.min.css">
                  <link rel="stylesheet" href="%2$scss/console.css">
                </head>
                <body>
                <header class="container">
                  <nav><ul><li><a href="%2$s" class="brand"><strong>%3$s</strong></a></li></ul></nav>
                </header>
                <main id="main" class="container">
                <section class="error-page">
                  <h1>%4$s</h1>
                  <p>%5$s</p>
                  <p><a href="%2$s">%6$s</a></p>
                </section>
                </main>
                </body>
                </html>
                """.formatted(text("error.title", status), home, text("app.name"),
                text("error." + kind + ".heading", status), text("error." + kind + ".text"), text("error.home"));
    }

    private String text(String key, Object... args) {
        return HtmlUtils.htmlEscape(messages.getMessage(key, args, Locale.ENGLISH));
    }

    /**
     * Tomcat's {@link ErrorReportValve} with its HTML (server name, exception text) replaced by the
     * console's page; the guards are Tomcat's own (nothing written yet, error not yet reported, the
     * connection still usable).
     */
    public static final class ConsoleErrorReportValve extends ErrorReportValve {

        private final IntFunction<String> pages;

        /** The class Tomcat would instantiate itself; only the instance added above is ever used. */
        public ConsoleErrorReportValve() {
            this(status -> "");
        }

        ConsoleErrorReportValve(IntFunction<String> pages) {
            this.pages = pages;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            try {
                response.setContentType("text/html");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; "
                        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
                response.setHeader("X-Content-Type-Options", "nosniff");
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(pages.apply(status));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException clientGone) {
                // Nothing more can be sent; Tomcat logs the original error itself.
            }
        }
    }
}
