package io.eksaccess.console.system;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * JSON answers of the API and of the health probes leave in one write with a Content-Length. Spring
 * flushes the response after writing a body (the stream, or flushBuffer() for a ResponseEntity); on
 * Tomcat that commits it chunked, so every answer cost two socket writes, the body and then the
 * closing chunk (issue 19: the writes were a tenth of a call's CPU). Here those flushes are not
 * passed on, and the buffer holds {@value #BUFFER_BYTES} bytes instead of 8 KiB: Tomcat sends the
 * body when the buffer is full or the request ends. The larger buffer also spares a session call
 * its second session read: Spring Session treats a full buffer as a commit and saves the session
 * then, and saving it again at the end of the request made it look the session up once more.
 * Nothing under these paths streams.
 */
@Configuration(proxyBeanMethods = false)
class SingleWriteResponses {

    /**
     * Most JSON answers fit (who-can at 5,000 roles names hundreds of subjects). Tomcat keeps a
     * buffer this size per request processor once grown (at most 200 × 64 KiB with its default threads).
     */
    static final int BUFFER_BYTES = 64 * 1024;

    @Bean
    FilterRegistrationBean<NoFlushFilter> singleWriteResponsesFilter() {
        FilterRegistrationBean<NoFlushFilter> registration = new FilterRegistrationBean<>(new NoFlushFilter());
        registration.addUrlPatterns("/api/*", "/actuator/health", "/actuator/health/*");
        // Innermost, next to the DispatcherServlet: the session and security headers filters see no flush either.
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    static final class NoFlushFilter implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (response instanceof HttpServletResponse http) {
                http.setBufferSize(BUFFER_BYTES);
                chain.doFilter(request, new NoFlushResponse(http));
            } else {
                chain.doFilter(request, response);
            }
        }
    }

    private static final class NoFlushResponse extends HttpServletResponseWrapper {

        private ServletOutputStream stream;

        NoFlushResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new NoFlushStream(super.getOutputStream());
            }
            return stream;
        }

        @Override
        public void flushBuffer() {
            // ResponseEntity answers are flushed this way (HttpEntityMethodProcessor); see the stream's flush
        }
    }

    private static final class NoFlushStream extends ServletOutputStream {

        private final ServletOutputStream delegate;

        NoFlushStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            delegate.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            // the container sends the buffer when it is full and when the request ends
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
