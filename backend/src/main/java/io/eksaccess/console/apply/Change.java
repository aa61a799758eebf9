package io.eksaccess.console.apply;

/**
 * A change a request asks for and an intent carries out: to aws-auth ({@link MappingChange}) or to
 * the cluster's EKS access entries ({@link AccessEntryChange}). One stored contract for both:
 * {@link MappingChangeJson}.
 */
public sealed interface Change permits MappingChange, AccessEntryChange {

    /** The ARN or account the change is about ("" for a cluster-wide one: the authentication mode). */
    String principal();
}
