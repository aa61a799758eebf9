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
 * without one by counting the bytes as the filter reads them. Form and multipart bodies are parsed by Tomcat itself, not
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
                chain.doFilter(request, response);
                return;
            }
            // Any other streamed body is read here, counting, at most one byte past the limit; the
            // handlers then read it from memory (at most the limit per request).
            byte[] body = request.getInputStream().readNBytes((int) limit.toBytes() + 1);
            if (body.length > limit.toBytes()) {
                refuse(request, response);
                return;
            }
            chain.doFilter(new Buffered(request, body), response);
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

    /** A request whose body was read by the filter already. */
    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already; read it blocking");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), encoding));
        }
    }
}
