package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A person's browser at the HTTP level: cookies, redirects followed one by one, HTML forms
 * submitted with their hidden fields (CSRF tokens included). Browser journeys with Chromium are
 * separate; this is for protocol-level tests of sign-in and authorization.
 */
public final class WebSession {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> everyRequest = new LinkedHashMap<>();

    public record Page(URI url, int status, String body, HttpResponse<String> response) {

        public Document html() {
            return Jsoup.parse(body, url.toString());
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public boolean isRedirect() {
            return status >= 300 && status < 400 && header("Location") != null;
        }

        public URI location() {
            return url.resolve(header("Location"));
        }

        /** The value of the {@code <meta name="_csrf">} tag the layout renders. */
        public String csrfToken() {
            Element meta = html().selectFirst("meta[name=_csrf]");
            if (meta == null) {
                throw new AssertionError("no CSRF meta tag on " + url + "\n" + body);
            }
            return meta.attr("content");
        }
    }

    /** Sends this header on every later request (a proxy's X-Forwarded-For, say). */
    public WebSession withHeader(String name, String value) {
        everyRequest.put(name, value);
        return this;
    }

    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET());
    }

    public Page get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET();
        headers.forEach(request::setHeader);
        return send(request);
    }

    public Page post(String url, Map<String, String> form) {
        return post(url, form, Map.of());
    }

    public Page post(String url, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        headers.forEach(request::setHeader);
        return send(request);
    }

    /** A JSON API call with the session's cookies (add the CSRF header for state changes). */
    public Page postJson(String url, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::setHeader);
        return send(request);
    }

    public Page getJson(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET());
    }

    /** The cookies this session would send to the URL, as one Cookie header (to hand the session to another client). */
    public String cookieHeader(String url) {
        return cookies.getCookieStore().get(URI.create(url)).stream()
                .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                .collect(Collectors.joining("; "));
    }

    /** Follows redirects (GET, as browsers do after a POST) until a page that is not one. */
    public Page follow(Page page) {
        Page current = page;
        for (int hops = 0; current.isRedirect(); hops++) {
            if (hops > 15) {
                throw new AssertionError("too many redirects, last at " + current.url());
            }
            current = get(current.location().toString());
        }
        return current;
    }

    /** Fills and submits the first form that matches the CSS selector, keeping its hidden fields. */
    public Page submit(Page page, String formSelector, Map<String, String> fields) {
        Element form = page.html().selectFirst(formSelector);
        if (form == null) {
            throw new AssertionError("no form '" + formSelector + "' on " + page.url() + "\n" + page.body());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            values.put(input.attr("name"), input.attr("value"));
        }
        values.putAll(fields);
        String action = form.attr("action").isEmpty() ? page.url().toString() : form.absUrl("action");
        return post(action, values);
    }

    private Page send(HttpRequest.Builder request) {
        everyRequest.forEach(request::setHeader);
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Page(built.uri(), response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError("request to " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
