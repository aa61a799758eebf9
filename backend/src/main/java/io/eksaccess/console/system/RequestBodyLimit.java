package io.eksaccess.console.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code console.request-body-limit} (64 KiB) with 413 before any
 * other work (sessions, security, parsing): by the declared Content-Length, and for bodies streamed
 * without one by counting the bytes read. Form and multipart bodies are parsed by Tomcat itself, not
 * through {@code getInputStream()}, so those are bounded by {@code server.tomcat.max-http-form-post-size}
 * and {@code spring.servlet.multipart.*}, which application.properties sets to the same limit and
 * which this filter makes Tomcat apply here, where the refusal can still be answered properly.
 * The API answers with problem+json, pages with the console's error page.
 */
@Configuration(proxyBeanMethods = false)
class RequestBodyLimit {

    @Bean
    FilterRegistrationBean<LimitFilter> requestBodyLimitFilter(
            @Value("${console.request-body-limit:64KB}") DataSize limit) {
        FilterRegistrationBean<LimitFilter> registration = new FilterRegistrationBean<>(new LimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    static final class LimitFilter extends OncePerRequestFilter {

        private final DataSize limit;

        LimitFilter(DataSize limit) {
            this.limit = limit;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            long declared = request.getContentLengthLong();
            if (declared > limit.toBytes()) {
                refuse(request, response);
                return;
            }
            boolean streamed = declared < 0 && request.getHeader("Transfer-Encoding") != null;
            if (!streamed) {
                chain.doFilter(request, response);
                return;
            }
            if (isForm(request)) {
                try {
                    // Tomcat reads the whole form now, up to its own limit, and fails when it is larger.
                    request.getParameterMap();
                    if (isMultipart(request)) {
                        request.getParts();
                    }
                } catch (IllegalStateException | IOException | ServletException e) {
                    refuse(request, response);
                    return;
                }
            }
            Counted counted = new Counted(request, limit.toBytes());
            chain.doFilter(counted, response);
            if (counted.exceeded && !response.isCommitted()) {
                // Whatever the handler made of the cut-off body (usually "malformed", 400), the cause is its size.
                response.reset();
                refuse(request, response);
            }
        }

        private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String detail = "The request body is larger than " + limit.toKilobytes() + " KiB (" + limit.toBytes()
                    + " bytes), the most the console accepts; nothing was stored. Send less (texts are limited to"
                    + " 4,000 characters).";
            if (request.getRequestURI().startsWith("/api/")) {
                ApiProblems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, detail,
                        Map.of("limitBytes", limit.toBytes()));
            } else {
                response.sendError(HttpStatus.CONTENT_TOO_LARGE.value(), detail);
            }
        }

        private static boolean isForm(HttpServletRequest request) {
            String type = request.getContentType();
            return type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                    || isMultipart(request));
        }

        private static boolean isMultipart(HttpServletRequest request) {
            String type = request.getContentType();
            return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
        }
    }

    /** A request whose body stream fails once more than {@code limit} bytes have been read. */
    private static final class Counted extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        boolean exceeded;

        Counted(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), encoding));
        }

        private final class CountingStream extends ServletInputStream {

            private final ServletInputStream in;
            private long read;

            CountingStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > limit) {
                    exceeded = true;
                    throw new IOException("the request body is larger than " + limit + " bytes");
                }
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
