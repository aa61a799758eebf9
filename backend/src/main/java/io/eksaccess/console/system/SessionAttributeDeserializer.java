package io.eksaccess.console.system;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * Turns a session attribute's stored bytes back into its value, remembering the signed-in
 * person's security context by its exact bytes (issue 19). Spring Session JDBC reads the session
 * row on every request, so sign-out (on any replica) and expiry still end the session at once;
 * what this saves is Java deserialization of the same OIDC authentication on each API call
 * (~40 µs of CPU for a 3.9 KB context, against ~3 µs to recognise its bytes). Equal bytes
 * deserialize to an equal value, so a hit
 * answers what a miss would. Each hit gets its own {@link SecurityContextImpl} (sign-out clears the
 * context it holds); the {@link Authentication} inside is shared, which is safe because nothing
 * changes an authentication after sign-in. Other attributes are deserialized every time.
 */
final class SessionAttributeDeserializer implements Converter<byte[], Object> {

    /** A few hundred signed-in people at ~5 KB each; the least recently used is dropped. */
    static final int MAX_ENTRIES = 512;

    private final DeserializingConverter deserializer;
    private final Map<Bytes, Authentication> contexts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Authentication> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SessionAttributeDeserializer(ClassLoader classLoader) {
        this.deserializer = new DeserializingConverter(classLoader);
    }

    @Override
    public Object convert(byte[] source) {
        Bytes key = new Bytes(source);
        Authentication known;
        synchronized (contexts) {
            known = contexts.get(key);
        }
        if (known != null) {
            return new SecurityContextImpl(known);
        }
        Object value = deserializer.convert(source);
        if (value != null && value.getClass() == SecurityContextImpl.class
                && ((SecurityContextImpl) value).getAuthentication() != null) {
            synchronized (contexts) {
                contexts.put(new Bytes(source.clone()), ((SecurityContextImpl) value).getAuthentication());
            }
        }
        return value;
    }

    int size() {
        synchronized (contexts) {
            return contexts.size();
        }
    }

    /** A byte array compared by content. */
    private static final class Bytes {
        private final byte[] bytes;
        private final int hash;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes b && b.hash == hash && Arrays.equals(b.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
