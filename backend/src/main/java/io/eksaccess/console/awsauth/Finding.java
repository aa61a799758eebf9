package io.eksaccess.console.awsauth;

/**
 * One AWSAUTH-* finding about an aws-auth entry ({@code index} = its position in the section's
 * YAML list; null for a whole section). {@code blocking} findings (the authenticator reports an
 * error) stop an apply; the others need an acknowledgement.
 */
public record Finding(String id, Severity severity, Section section, Integer index, String message) {

    public static final String UNREADABLE = "AWSAUTH-001";

    public String key() {
        return section.key();
    }

    public boolean blocking() {
        return id.equals(UNREADABLE);
    }
}
