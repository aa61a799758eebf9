package io.eksaccess.console.identity;

/**
 * Who acts in this request: the signed-in person and the address the request came from (after the
 * trusted-proxy rules), as a controller parameter resolved by {@link ActingPersonResolver}.
 */
public record ActingPerson(CurrentUser user, String sourceIp) {}
