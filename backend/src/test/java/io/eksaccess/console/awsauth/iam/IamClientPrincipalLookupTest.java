package io.eksaccess.console.awsauth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.IamPrincipalLookup.Existence;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.MovableClock;
import java.net.URI;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/** GetRole / GetUser against moto: what exists, what does not, what cannot be known, and the cache. */
class IamClientPrincipalLookupTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    final String suffix = "-" + System.nanoTime();
    final MovableClock clock = new MovableClock();
    final IamClient admin = iam(MOTO.endpoint());
    IamClientPrincipalLookup lookup = new IamClientPrincipalLookup(iam(MOTO.endpoint()), sts(), Duration.ofMinutes(10), clock);

    @AfterEach
    void close() {
        lookup.close();
        admin.close();
    }

    @Test
    void roleIsFoundByItsNameWithOrWithoutThePathAndAMissingOneIsMissing() {
        admin.createRole(r -> r.roleName("admins" + suffix).path("/teams/").assumeRolePolicyDocument(TRUST));

        assertThat(lookup.lookup(role("teams/admins" + suffix))).isEqualTo(Existence.EXISTS);
        assertThat(lookup.lookup(role("admins" + suffix))).as("callers arrive without the path").isEqualTo(Existence.EXISTS);
        assertThat(lookup.lookup(role("admins" + suffix + "-typo"))).isEqualTo(Existence.MISSING);
    }

    @Test
    void userMustMatchItsFullArnIncludingThePath() {
        admin.createUser(u -> u.userName("alice" + suffix).path("/people/"));

        assertThat(lookup.lookup("arn:aws:iam::" + ACCOUNT + ":user/people/alice" + suffix)).isEqualTo(Existence.EXISTS);
        assertThat(lookup.lookup("arn:aws:iam::" + ACCOUNT + ":user/alice" + suffix))
                .as("a caller arrives as user/people/alice, so this ARN matches nobody").isEqualTo(Existence.MISSING);
        assertThat(lookup.lookup("arn:aws:iam::" + ACCOUNT + ":user/bob" + suffix)).isEqualTo(Existence.MISSING);
    }

    @Test
    void otherAccountsRootAndMalformedArnsAreUnknown() {
        assertThat(lookup.lookup("arn:aws:iam::111122223333:role/admins")).isEqualTo(Existence.UNKNOWN);
        assertThat(lookup.lookup("arn:aws:iam::" + ACCOUNT + ":root")).isEqualTo(Existence.UNKNOWN);
        assertThat(lookup.lookup("arn:aws:sts::" + ACCOUNT + ":assumed-role/admins/alice")).isEqualTo(Existence.UNKNOWN);
        assertThat(lookup.lookup("not an arn")).isEqualTo(Existence.UNKNOWN);
        assertThat(lookup.lookup("arn:aws-cn:iam::" + ACCOUNT + ":role/admins")).isEqualTo(Existence.UNKNOWN);
    }

    @Test
    void answersAreCachedUntilTheyExpire() {
        admin.createRole(r -> r.roleName("short-lived" + suffix).assumeRolePolicyDocument(TRUST));
        assertThat(lookup.lookup(role("short-lived" + suffix))).isEqualTo(Existence.EXISTS);

        admin.deleteRole(r -> r.roleName("short-lived" + suffix));
        clock.advance(Duration.ofMinutes(9));
        assertThat(lookup.lookup(role("short-lived" + suffix))).as("cached").isEqualTo(Existence.EXISTS);
        clock.advance(Duration.ofMinutes(2));
        assertThat(lookup.lookup(role("short-lived" + suffix))).as("asked again").isEqualTo(Existence.MISSING);
    }

    @Test
    void anIamErrorIsUnknownNotMissing() {
        lookup.close();
        lookup = new IamClientPrincipalLookup(iam(URI.create("http://127.0.0.1:1")), sts(), Duration.ofMinutes(10), clock);

        assertThat(lookup.lookup(role("anything" + suffix))).isEqualTo(Existence.UNKNOWN);
    }

    private static String role(String nameWithPath) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + nameWithPath;
    }

    private static IamClient iam(URI endpoint) {
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }

    private static StsClient sts() {
        return StsClient.builder().endpointOverride(MOTO.endpoint()).region(MotoServer.REGION)
                .credentialsProvider(MOTO.credentials()).build();
    }

}
