package io.eksaccess.console.system;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * Spring Session marks a session changed whenever its access time is set, which the filter does on
 * every request, so JDBC sent the session UPDATE on every call even though
 * {@link SessionStoreConfiguration#UPDATE_SESSION_QUERY} then matched no row (issue 19). Here a loaded
 * session passes the new access time on only when the stored one is at least the touch interval old;
 * otherwise, with no attribute change, the library sends no statement at all. The row is still read on
 * every request (sign-out on any replica and expiry act at once), and expiry is judged from the stored
 * access time, as the SQL throttle already did. The cost: {@code HttpSession.getLastAccessedTime()}
 * may lag by up to one interval (Spring Session declined this trade-off upstream, gh-1065, gh-3329).
 */
final class ThrottledSessionRepository
        implements FindByIndexNameSessionRepository<ThrottledSessionRepository.ThrottledSession> {

    private final FindByIndexNameSessionRepository<Session> delegate;
    private final Duration touchInterval;

    @SuppressWarnings("unchecked")
    ThrottledSessionRepository(FindByIndexNameSessionRepository<? extends Session> delegate, Duration touchInterval) {
        this.delegate = (FindByIndexNameSessionRepository<Session>) delegate;
        this.touchInterval = touchInterval;
    }

    @Override
    public ThrottledSession createSession() {
        return new ThrottledSession(delegate.createSession(), true);
    }

    @Override
    public void save(ThrottledSession session) {
        delegate.save(session.delegate);
    }

    @Override
    public ThrottledSession findById(String id) {
        Session session = delegate.findById(id);
        return session == null ? null : new ThrottledSession(session, false);
    }

    @Override
    public void deleteById(String id) {
        delegate.deleteById(id);
    }

    @Override
    public Map<String, ThrottledSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
        Map<String, ThrottledSession> sessions = new LinkedHashMap<>();
        delegate.findByIndexNameAndIndexValue(indexName, indexValue)
                .forEach((id, session) -> sessions.put(id, new ThrottledSession(session, false)));
        return sessions;
    }

    /** The library's session, except that a recent access time is not passed on. */
    final class ThrottledSession implements Session {

        private final Session delegate;
        private final boolean created;

        private ThrottledSession(Session delegate, boolean created) {
            this.delegate = delegate;
            this.created = created;
        }

        @Override
        public void setLastAccessedTime(Instant lastAccessedTime) {
            if (created || Duration.between(delegate.getLastAccessedTime(), lastAccessedTime).compareTo(touchInterval) >= 0) {
                delegate.setLastAccessedTime(lastAccessedTime);
            }
        }

        @Override
        public String getId() {
            return delegate.getId();
        }

        @Override
        public String changeSessionId() {
            return delegate.changeSessionId();
        }

        @Override
        public <T> T getAttribute(String attributeName) {
            return delegate.getAttribute(attributeName);
        }

        @Override
        public Set<String> getAttributeNames() {
            return delegate.getAttributeNames();
        }

        @Override
        public void setAttribute(String attributeName, Object attributeValue) {
            delegate.setAttribute(attributeName, attributeValue);
        }

        @Override
        public void removeAttribute(String attributeName) {
            delegate.removeAttribute(attributeName);
        }

        @Override
        public Instant getCreationTime() {
            return delegate.getCreationTime();
        }

        @Override
        public Instant getLastAccessedTime() {
            return delegate.getLastAccessedTime();
        }

        @Override
        public void setMaxInactiveInterval(Duration interval) {
            delegate.setMaxInactiveInterval(interval);
        }

        @Override
        public Duration getMaxInactiveInterval() {
            return delegate.getMaxInactiveInterval();
        }

        @Override
        public boolean isExpired() {
            return delegate.isExpired();
        }
    }
}
