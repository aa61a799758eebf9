package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

/** Issue 19: the remembered security context answers what deserializing its bytes would, and is never shared. */
class SessionAttributeDeserializerTest {

    private final SerializingConverter serializer = new SerializingConverter();
    private final SessionAttributeDeserializer deserializer = new SessionAttributeDeserializer(getClass().getClassLoader());

    @Test
    void equalBytesGiveAnEqualContextOfItsOwn() {
        byte[] alice = serializer.convert(context("alice", "ROLE_ADMIN"));
        SecurityContext first = (SecurityContext) deserializer.convert(alice);
        SecurityContext second = (SecurityContext) deserializer.convert(alice.clone());
        assertThat(deserializer.size()).as("remembered once").isEqualTo(1);
        assertThat(second).isEqualTo(first).isNotSameAs(first);
        assertThat(second.getAuthentication().getName()).isEqualTo("alice");

        first.setAuthentication(null); // as sign-out does to the context it holds
        assertThat(((SecurityContext) deserializer.convert(alice)).getAuthentication().getName()).isEqualTo("alice");

        byte[] bob = serializer.convert(context("bob", "ROLE_VIEWER"));
        assertThat(((SecurityContext) deserializer.convert(bob)).getAuthentication().getAuthorities())
                .extracting(Object::toString).containsExactly("ROLE_VIEWER");
        assertThat(deserializer.size()).isEqualTo(2);
    }

    @Test
    void otherAttributesAreReadEachTimeAndTheCacheIsBounded() {
        byte[] list = serializer.convert(new java.util.ArrayList<>(List.of("x")));
        assertThat(deserializer.convert(list)).isEqualTo(List.of("x")).isNotSameAs(deserializer.convert(list));
        assertThat(deserializer.size()).isZero();
        for (int i = 0; i < SessionAttributeDeserializer.MAX_ENTRIES + 10; i++) {
            deserializer.convert(serializer.convert(context("user" + i, "ROLE_VIEWER")));
        }
        assertThat(deserializer.size()).isEqualTo(SessionAttributeDeserializer.MAX_ENTRIES);
    }

    private static SecurityContextImpl context(String name, String role) {
        return new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(name, null,
                List.of(new SimpleGrantedAuthority(role))));
    }
}
