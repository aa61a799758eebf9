/** The go-yaml v2 compatible reader aws-iam-authenticator's parsing depends on; the offline aws-auth commands read files with it. */
@NamedInterface("goyaml")
package io.eksaccess.console.awsauth.goyaml;

import org.springframework.modulith.NamedInterface;
