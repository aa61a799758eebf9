package io.eksaccess.console.identity.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How the demo issuer checks the demo people's password and the console's client secret: compared as
 * stored, in constant time. The password is published (the sign-in page shows it) and the client
 * secret is 24 random bytes made at start-up and kept in memory, so a slow hash would protect nothing.
 * It never asks for an upgrade: with Spring's default encoder, every successful sign-in and token
 * exchange re-hashed a plain-stored secret with BCrypt and checked the next one against that hash
 * (~0.1 s of CPU each; 44% of the test JVM's JFR execution samples over a whole suite run).
 */
final class PublishedSecrets implements PasswordEncoder {

    @Override
    public String encode(CharSequence raw) {
        return raw.toString();
    }

    @Override
    public boolean matches(CharSequence raw, String stored) {
        return raw != null && stored != null && MessageDigest.isEqual(
                raw.toString().getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
    }
}
