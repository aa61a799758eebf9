package io.eksaccess.console.cluster.eks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The EKS bearer token, made the way {@code aws eks get-token} and aws-iam-authenticator make it:
 * a SigV4-presigned STS {@code GetCallerIdentity} URL on the regional endpoint, with the cluster
 * name in the signed {@code x-k8s-aws-id} header and {@code X-Amz-Expires=60}, base64url-encoded
 * without padding behind {@code k8s-aws-v1.}. The API server's authenticator accepts it for 15
 * minutes after signing; like the AWS CLI we say it expires after 14.
 *
 * <p>The signing is written out here rather than delegated so that the URL is the AWS CLI's byte
 * for byte (parameter order included), which the unit test checks against botocore's output.
 */
public final class EksTokenGenerator {

    public static final String PREFIX = "k8s-aws-v1.";
    public static final Duration VALIDITY = Duration.ofMinutes(14);
    static final String CLUSTER_HEADER = "x-k8s-aws-id";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String EMPTY_PAYLOAD_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final Clock clock;

    public EksTokenGenerator(Clock clock) {
        this.clock = clock;
    }

    /** A token for the cluster, signed with the credentials for the region's STS endpoint. */
    public EksToken generate(String clusterName, String region, AwsCredentials credentials) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String url = presignedGetCallerIdentityUrl(clusterName, region, credentials, now);
        String token = PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
        return new EksToken(token, now.plus(VALIDITY));
    }

    static String presignedGetCallerIdentityUrl(
            String clusterName, String region, AwsCredentials credentials, Instant now) {
        String host = "sts." + region + ".amazonaws.com";
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/sts/aws4_request";
        String sessionToken =
                credentials instanceof AwsSessionCredentials session ? session.sessionToken() : null;

        // The URL's order is botocore's: the operation, then the auth parameters as it adds them.
        List<String[]> query = new ArrayList<>(List.of(
                new String[] {"Action", "GetCallerIdentity"},
                new String[] {"Version", "2011-06-15"},
                new String[] {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                new String[] {"X-Amz-Credential", credentials.accessKeyId() + "/" + scope},
                new String[] {"X-Amz-Date", amzDate},
                new String[] {"X-Amz-Expires", "60"},
                new String[] {"X-Amz-SignedHeaders", "host;" + CLUSTER_HEADER}));
        if (sessionToken != null) {
            query.add(new String[] {"X-Amz-Security-Token", sessionToken});
        }

        Map<String, String> canonicalQuery = new TreeMap<>();
        query.forEach(pair -> canonicalQuery.put(encode(pair[0]), encode(pair[1])));
        String canonicalRequest = String.join("\n",
                "GET",
                "/",
                join(canonicalQuery),
                "host:" + host,
                CLUSTER_HEADER + ":" + clusterName.trim(),
                "",
                "host;" + CLUSTER_HEADER,
                EMPTY_PAYLOAD_SHA256);
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest));

        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "sts");
        key = hmac(key, "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));

        StringBuilder url = new StringBuilder("https://").append(host).append("/?");
        for (String[] pair : query) {
            url.append(encode(pair[0])).append('=').append(encode(pair[1])).append('&');
        }
        return url.append("X-Amz-Signature=").append(signature).toString();
    }

    private static String join(Map<String, String> sorted) {
        StringBuilder joined = new StringBuilder();
        sorted.forEach((name, value) -> joined.append(joined.isEmpty() ? "" : "&").append(name).append('=').append(value));
        return joined.toString();
    }

    /** RFC 3986 percent-encoding as SigV4 requires: everything but unreserved characters. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
