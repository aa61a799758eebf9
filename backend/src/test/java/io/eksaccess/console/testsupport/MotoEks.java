package io.eksaccess.console.testsupport;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * EKS in the moto double as the access-entry tests set it up: a client for a region (a region per
 * test class keeps the clusters EKS discovery finds apart), and clusters made the one way they need.
 */
public final class MotoEks {

    private MotoEks() {}

    /**
     * An EKS client of the moto double in that region. Also sets the SDK's credential properties:
     * the console under test reaches moto through the SDK's default chain, and moto takes any.
     */
    public static EksClient client(Region region) {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        MotoServer moto = MotoServer.get();
        return EksClient.builder().endpointOverride(moto.endpoint()).region(region).credentialsProvider(moto.credentials())
                .build();
    }

    /** A cluster of that name in that authentication mode. */
    public static void createCluster(EksClient eks, String name, AuthenticationMode mode) {
        eks.createCluster(c -> c.name(name).roleArn("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/eks-cluster")
                .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                .accessConfig(access -> access.authenticationMode(mode)));
    }
}
