package io.eksaccess.console.notification;

import io.eksaccess.console.system.Sentence;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Where webhooks may go. A webhook URL is a request the console makes from inside the network it
 * runs in, with the reach of its pod or host; so by default it may not name loopback, link-local
 * (the cloud metadata service at 169.254.169.254), unspecified, multicast or reserved addresses, the
 * console's own addresses, or private ranges (RFC 1918, RFC 6598 shared space, IPv6 unique-local).
 * Every address the host resolves to is checked, when the endpoint is saved and again at each
 * delivery. At delivery the name is resolved once, by {@link #addresses}, and the sender connects
 * only to the addresses checked there: a DNS answer that changes between a check and a second lookup
 * (rebinding) cannot send the request inside. {@code console.notifications.allow-private-targets=true}
 * lifts all of this, for receivers inside the network (and for tests).
 */
final class WebhookTargets {

    /** Names to addresses: the system resolver, or in tests one that answers as a rebinding DNS server would. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The host may not receive webhooks; {@link #reason()} says why. An UnknownHostException so a connector stops at it. */
    static final class Refused extends UnknownHostException {

        private final transient Sentence reason;

        Refused(Sentence reason) {
            super(reason.text());
            this.reason = reason;
        }

        Sentence reason() {
            return reason;
        }
    }

    private final boolean allowPrivateTargets;
    private final Resolver resolver;

    WebhookTargets(boolean allowPrivateTargets) {
        this(allowPrivateTargets, InetAddress::getAllByName);
    }

    WebhookTargets(boolean allowPrivateTargets, Resolver resolver) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.resolver = resolver;
    }

    /** @return why the URL's host may not receive webhooks, or null when it may */
    Sentence refusal(URI url) {
        if (allowPrivateTargets) {
            return null;
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Sentence.of("error.webhook.no-host");
        }
        try {
            addresses(host);
            return null;
        } catch (Refused e) {
            return e.reason();
        }
    }

    /**
     * Resolves the host once and returns its addresses when every one of them may receive webhooks;
     * a connection made to exactly these goes where the check looked.
     *
     * @throws Refused when the name does not resolve or any of its addresses is refused
     */
    InetAddress[] addresses(String host) throws Refused {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new Refused(Sentence.of("error.webhook.unresolved", shorten(bare)));
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused(Sentence.of("error.webhook.unresolved", shorten(bare)));
        }
        if (allowPrivateTargets) {
            return addresses.clone();
        }
        Set<InetAddress> own = ownAddresses();
        for (InetAddress address : addresses) {
            Sentence kind = kindOf(address, own);
            if (kind != null) {
                String shown = bare.equalsIgnoreCase(address.getHostAddress())
                        ? bare : shorten(bare) + " (" + address.getHostAddress() + ")";
                throw new Refused(Sentence.of("error.webhook.private", shown, kind));
            }
        }
        return addresses.clone();
    }

    /** What kind of refused address this is, or null when it is a public one. */
    static Sentence kindOf(InetAddress address, Set<InetAddress> own) {
        if (address instanceof Inet6Address && Arrays.equals(address.getAddress(), 0, 6, NAT64_LOCAL, 0, 6)) {
            // RFC 8215: the IPv4 address sits where the operator chose, and it translates into their own networks.
            return Sentence.of("text.webhook.nat64-local");
        }
        InetAddress effective = embeddedIpv4(address);
        if (effective.isLoopbackAddress()) {
            return Sentence.of("text.webhook.loopback");
        }
        if (effective.isAnyLocalAddress() || startsWith(effective, 0)) {
            return Sentence.of("text.webhook.unspecified");
        }
        if (effective.isLinkLocalAddress()) {
            return Sentence.of("text.webhook.link-local");
        }
        if (effective.isMulticastAddress()) {
            return Sentence.of("text.webhook.multicast");
        }
        if (own.contains(address) || own.contains(effective)) {
            return Sentence.of("text.webhook.own");
        }
        byte[] b = effective.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
                return Sentence.of("text.webhook.private");
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return Sentence.of("text.webhook.shared");
            }
            if (first >= 240) {
                return Sentence.of("text.webhook.reserved");
            }
            return null;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Sentence.of("text.webhook.unique-local");
        }
        if (effective.isSiteLocalAddress()) {
            return Sentence.of("text.webhook.site-local");
        }
        return null;
    }

    /** NAT64's well-known prefix 64:ff9b::/96 (RFC 6052): the gateway sends the request to the IPv4 address inside. */
    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    /** NAT64's local-use prefix 64:ff9b:1::/48 (RFC 8215). */
    private static final byte[] NAT64_LOCAL = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};

    /**
     * The IPv4 host an IPv6 address reaches: IPv4-compatible (::a.b.c.d), or NAT64 (64:ff9b::a.b.c.d, which a
     * DNS64 resolver answers for any IPv4-only name); IPv4-mapped ones Java already turns into IPv4.
     */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            if (Arrays.equals(b, 0, 12, NAT64, 0, 12)) {
                return ipv4(address, Arrays.copyOfRange(b, 12, 16));
            }
            boolean zeroPrefix = true;
            for (int i = 0; i < 12; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && !(b[12] == 0 && b[13] == 0 && b[14] == 0)) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException impossible) {
                    return address;
                }
            }
        }
        return address;
    }

    private static InetAddress ipv4(InetAddress address, byte[] ipv4) {
        try {
            return InetAddress.getByAddress(ipv4);
        } catch (UnknownHostException impossible) {
            return address;
        }
    }

    private static boolean startsWith(InetAddress address, int firstOctet) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xff) == firstOctet;
    }

    /** The addresses of this machine's (or pod's) interfaces, looked up each time: they can change. */
    static Set<InetAddress> ownAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                own.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException | RuntimeException e) {
            // no interface list: loopback and the ranges above are still refused
        }
        return own;
    }

    private static String shorten(String host) {
        String printable = host.replaceAll("[\\p{Cntrl}\\p{Cf}]", "");
        return printable.length() > 100 ? printable.substring(0, 100) + "…" : printable;
    }
}
