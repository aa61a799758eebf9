/** EKS discovery and bearer tokens; the offline {@code eks-token} command uses the token generator. */
@NamedInterface("eks")
package io.eksaccess.console.cluster.eks;

import org.springframework.modulith.NamedInterface;
