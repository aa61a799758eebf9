package io.eksaccess.console.cluster.eks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Fixed clock and credentials against what the AWS CLI's token generator (botocore 1.43 presigning
 * STS GetCallerIdentity with the x-k8s-aws-id header, as {@code aws eks get-token} does) produced
 * for the same inputs at 2026-01-02T03:04:05Z.
 */
class EksTokenGeneratorTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private final EksTokenGenerator generator = new EksTokenGenerator(Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

    @Test
    void longTermCredentialsGiveTheAwsCliToken() {
        EksToken token = generator.generate("prod", "eu-west-1", AwsBasicCredentials.create("AKIDEXAMPLE", SECRET));
        assertThat(token.token()).isEqualTo("k8s-aws-v1."
                + "aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUm"
                + "WC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYwMTAyJTJGZXUtd2Vz"
                + "dC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjAxMDJUMDMwNDA1WiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25l"
                + "ZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9YTI1OGQ2ZmNkNmQxYjRlZDY4Yzg1MTIzYWM3NjIzMzE5NTI5"
                + "ZGFkYTg3YzgyZWM0OGJkNWE5ZWMxMjk1OWI2Mw");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-01-02T03:18:05Z"));
    }

    @Test
    void sessionCredentialsCarryTheirTokenInTheSignedUrl() {
        EksToken token = generator.generate("dev-cluster", "us-east-1",
                AwsSessionCredentials.create("AKIDEXAMPLE", SECRET, "FQoGZXIvYXdzEXAMPLESESSIONTOKEN/+="));
        String url = new String(Base64.getUrlDecoder().decode(token.token().substring(EksTokenGenerator.PREFIX.length())),
                StandardCharsets.UTF_8);
        assertThat(url).isEqualTo("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
                + "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fus-east-1%2Fsts%2Faws4_request"
                + "&X-Amz-Date=20260102T030405Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"
                + "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLESESSIONTOKEN%2F%2B%3D"
                + "&X-Amz-Signature=f9dede19ebd6189475823353750dfbd2c67b42042702fd8be356dc92cb757577");
    }

    @Test
    void theClusterNameIsSignedSoAnotherClusterGetsAnotherSignature() {
        AwsBasicCredentials credentials = AwsBasicCredentials.create("AKIDEXAMPLE", SECRET);
        assertThat(generator.generate("prod", "eu-west-1", credentials).token())
                .isNotEqualTo(generator.generate("prod2", "eu-west-1", credentials).token());
    }

    @Test
    void tokenIsNeverPrinted() {
        EksToken token = generator.generate("prod", "eu-west-1", AwsBasicCredentials.create("AKIDEXAMPLE", SECRET));
        assertThat(token.toString()).doesNotContain(EksTokenGenerator.PREFIX);
    }
}
