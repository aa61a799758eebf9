package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsProperties;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import io.eksaccess.console.report.findings.FindingsEngine;
import io.eksaccess.console.report.findings.FindingsInput;
import io.eksaccess.console.report.findings.SecurityFinding;
import io.eksaccess.console.report.findings.TrustPolicies;
import io.eksaccess.console.testsupport.MotoServer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * EKS-007 ("principal re-created after its access entry") end to end against moto's IAM and EKS
 * (real HTTP): entries synced by the console's reader, IAM creation dates read by
 * {@link IamEntryPrincipalDates} with GetRole / GetUser, the finding from the findings engine.
 */
class EntryPrincipalDatesTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String TRUST = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
             "Action": "sts:AssumeRole"}]}""";

    @Test
    void anEntryOlderThanItsPrincipalIsFoundAndOthersAreNot() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        String suffix = Long.toString(System.nanoTime());
        String cluster = "recreated-" + suffix;
        String recreated = "arn:aws:iam::" + ACCOUNT + ":role/ops/Recreated-" + suffix;
        String stable = "arn:aws:iam::" + ACCOUNT + ":role/Stable-" + suffix;
        String user = "arn:aws:iam::" + ACCOUNT + ":user/carol-" + suffix;
        String missing = "arn:aws:iam::" + ACCOUNT + ":role/Deleted-" + suffix;
        String otherAccount = "arn:aws:iam::999999999999:role/Stable-" + suffix;
        Region region = Region.EU_WEST_3;
        try (IamClient iam = IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials()).build();
                EksClient eks = EksClient.builder().endpointOverride(MOTO.endpoint()).region(region)
                        .credentialsProvider(MOTO.credentials()).build()) {
            iam.createRole(r -> r.roleName("Recreated-" + suffix).path("/ops/").assumeRolePolicyDocument(TRUST));
            iam.createRole(r -> r.roleName("Stable-" + suffix).assumeRolePolicyDocument(TRUST));
            iam.createUser(u -> u.userName("carol-" + suffix));
            eks.createCluster(c -> c.name(cluster).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(a -> a.authenticationMode(AuthenticationMode.API)));
            for (String principal : List.of(recreated, stable, user, missing, otherAccount)) {
                eks.createAccessEntry(e -> e.clusterName(cluster).principalArn(principal));
            }
            // Deleted and created again after its entry: same ARN, new principal ID.
            iam.deleteRole(r -> r.roleName("Recreated-" + suffix));
            iam.createRole(r -> r.roleName("Recreated-" + suffix).path("/ops/").assumeRolePolicyDocument(TRUST));
        }
        EksAccessEntries sync;
        try (EksAccessEntryReader reader = new EksAccessEntryReader(region.id(), null, MOTO.endpoint(), Clock.systemUTC())) {
            sync = reader.read(cluster);
        }
        IamEntryPrincipalDates dates = new IamEntryPrincipalDates(null, null,
                new AwsProperties(AwsProperties.IamChecks.ON, java.time.Duration.ofMinutes(10), MOTO.endpoint()));
        EntryPrincipalDates.Checked checked;
        try {
            checked = dates.check(sync);
        } finally {
            dates.destroy();
        }
        assertThat(checked.created()).containsOnlyKeys(recreated, stable, user);
        assertThat(checked.unknown()).as("no such role; a same-named role of another account is not this one")
                .anySatisfy(line -> assertThat(line).startsWith(missing + ": IAM has no such role"))
                .anySatisfy(line -> assertThat(line).startsWith(otherAccount + ": IAM's Stable-" + suffix + " is " + stable))
                .hasSize(2);

        SyncedAccessEntries synced = new SyncedAccessEntries(new ClusterAccessEntries(cluster,
                io.eksaccess.console.accessentry.AuthenticationMode.API, sync.entries().stream().map(e -> new AccessEntry(
                        e.principalArn(), e.type(), e.username(), e.kubernetesGroups(), List.of())).toList()), sync, null);
        FindingsInput input = new FindingsInput(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(synced));
        FindingsEngine.Evaluation evaluation = new FindingsEngine(IamPrincipalLookup.NONE, TrustPolicies.NONE, List.of(),
                raw -> raw == sync ? Optional.of(checked) : Optional.empty()).evaluate(input);
        List<SecurityFinding> found = evaluation.findings().stream().filter(f -> f.id().equals("EKS-007")).toList();
        assertThat(found).extracting(SecurityFinding::resource).containsExactly("AccessEntry/" + recreated);
        assertThat(found.get(0).message()).contains("was deleted and re-created").contains("Delete the access entry");
        assertThat(evaluation.notChecked()).anyMatch(line -> line.startsWith("EKS-007: IAM gave no creation date for 2"));

        FindingsEngine.Evaluation unread = new FindingsEngine(IamPrincipalLookup.NONE, TrustPolicies.NONE, List.of(),
                EntryPrincipalDates.NONE).evaluate(input);
        assertThat(unread.findings()).noneMatch(f -> f.id().equals("EKS-007"));
        assertThat(unread.notChecked()).anyMatch(line -> line.startsWith("EKS-007: the IAM creation dates"));
    }
}
