/** The built-in demo OIDC issuer and its people; the demo's sample requests are filed in their names. */
@NamedInterface("demo")
package io.eksaccess.console.identity.demo;

import org.springframework.modulith.NamedInterface;
