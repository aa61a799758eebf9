package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.awsauth.AwsAuthEdit.UserEntry;
import io.eksaccess.console.awsauth.SsoMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of changes is a contract with rows already written: round trips and the exact shape. */
class MappingChangeJsonTest {

    @Test
    void everyKindRoundTrips() {
        List<MappingChange> changes = List.of(
                new MappingChange.MapRole(new RoleEntry("arn:aws:iam::1:role/a", null, "a:{{SessionName}}", List.of("g1", "g2"))),
                new MappingChange.MapRole(new RoleEntry(null, new SsoMatcher("Admin", "111122223333", ""), "sso", List.of())),
                new MappingChange.UnmapRole("arn:aws:iam::1:role/a"),
                new MappingChange.MapUser(new UserEntry("arn:aws:iam::1:user/u", "u", List.of("g"))),
                new MappingChange.UnmapUser("arn:aws:iam::1:user/u"),
                new MappingChange.MapAccount("111122223333"),
                new MappingChange.UnmapAccount("111122223333"));
        for (MappingChange change : changes) {
            assertThat(MappingChangeJson.read(MappingChangeJson.write(change))).isEqualTo(change);
        }
    }

    @Test
    void theShapeIsStable() {
        assertThat(MappingChangeJson.write(new MappingChange.MapRole(new RoleEntry("arn:aws:iam::1:role/a", null, "a",
                List.of("g")))))
                .isEqualTo("{\"kind\":\"MAP_ROLE\",\"arn\":\"arn:aws:iam::1:role/a\",\"username\":\"a\",\"groups\":[\"g\"]}");
        assertThat(MappingChangeJson.write(new MappingChange.UnmapUser("arn:aws:iam::1:user/u")))
                .isEqualTo("{\"kind\":\"UNMAP_USER\",\"arn\":\"arn:aws:iam::1:user/u\"}");
        assertThat(MappingChangeJson.write(new MappingChange.MapAccount("1"))).isEqualTo("{\"kind\":\"MAP_ACCOUNT\",\"accountId\":\"1\"}");
        // Key order as PostgreSQL's jsonb returns it is irrelevant.
        assertThat(MappingChangeJson.read("{\"groups\": [], \"arn\": \"x\", \"kind\": \"MAP_USER\", \"username\": \"u\"}"))
                .isEqualTo(new MappingChange.MapUser(new UserEntry("x", "u", List.of())));
    }

    @Test
    void requestRowsWrittenByTheRequestFeaturesFormerCodecReadBackUnchanged() {
        // Text exactly as request/ChangeJson wrote access_requests.change and inverse_change until it was merged here.
        assertThat(MappingChangeJson.read("""
                {"kind":"MAP_ROLE","arn":"arn:aws:iam::111122223333:role/Dev","username":"dev:{{SessionName}}",\
                "groups":["readers","writers"]}"""))
                .isEqualTo(new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/Dev", null,
                        "dev:{{SessionName}}", List.of("readers", "writers"))));
        assertThat(MappingChangeJson.read("{\"kind\":\"MAP_USER\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
                + "\"username\":\"alice\",\"groups\":[]}"))
                .isEqualTo(new MappingChange.MapUser(new UserEntry("arn:aws:iam::111122223333:user/alice", "alice", List.of())));
        assertThat(MappingChangeJson.read("{\"kind\":\"UNMAP_ROLE\",\"arn\":\"arn:aws:iam::111122223333:role/Dev\"}"))
                .isEqualTo(new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/Dev"));
        assertThat(MappingChangeJson.read("{\"kind\":\"UNMAP_ACCOUNT\",\"accountId\":\"111122223333\"}"))
                .isEqualTo(new MappingChange.UnmapAccount("111122223333"));
        // And the text it wrote is the text this codec writes, so a request's stored change is unchanged too.
        assertThat(MappingChangeJson.write(new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/Dev",
                null, "dev:{{SessionName}}", List.of("readers", "writers"))))).isEqualTo("""
                {"kind":"MAP_ROLE","arn":"arn:aws:iam::111122223333:role/Dev","username":"dev:{{SessionName}}",\
                "groups":["readers","writers"]}""");
        assertThat(MappingChangeJson.write(new MappingChange.MapAccount("111122223333")))
                .isEqualTo("{\"kind\":\"MAP_ACCOUNT\",\"accountId\":\"111122223333\"}");
    }

    /** A way back carries what its change left; rows without it (every row before) read back as plain changes. */
    @Test
    void aWayBacksGrantedMappingRoundTrips() {
        List<MappingChange> wayBacks = List.of(
                new MappingChange.UnmapRole("arn:aws:iam::1:role/a", new MappingChange.Granted("a", List.of("g1"))),
                new MappingChange.MapRole(new RoleEntry("arn:aws:iam::1:role/a", null, "a", List.of("g0")),
                        new MappingChange.Granted("a", List.of("g0", "g1"))),
                new MappingChange.MapUser(new UserEntry("arn:aws:iam::1:user/u", "u", List.of()), MappingChange.Granted.NONE),
                new MappingChange.UnmapUser("arn:aws:iam::1:user/u", new MappingChange.Granted("u", List.of())));
        for (MappingChange wayBack : wayBacks) {
            assertThat(MappingChangeJson.read(MappingChangeJson.write(wayBack))).as(wayBack.toString()).isEqualTo(wayBack);
        }
        assertThat(MappingChangeJson.write(wayBacks.get(0))).isEqualTo("{\"kind\":\"UNMAP_ROLE\",\"arn\":\"arn:aws:iam::1:role/a\","
                + "\"granted\":{\"username\":\"a\",\"groups\":[\"g1\"]}}");
        assertThat(((MappingChange) MappingChangeJson.read("{\"kind\":\"UNMAP_ROLE\",\"arn\":\"x\"}")).granted()).isNull();
    }

    @Test
    void noChangeIsStoredAsNull() {
        // A request without an inverse stores NULL in inverse_change.
        assertThat(MappingChangeJson.write(null)).isNull();
        assertThat(MappingChangeJson.read(null)).isNull();
    }

    @Test
    void unknownOrIncompleteTextIsRefusedWithAReason() {
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"DELETE_CLUSTER\"}")).hasMessageContaining("DELETE_CLUSTER");
        assertThatThrownBy(() -> MappingChangeJson.read("{\"kind\":\"UNMAP_ROLE\"}")).hasMessageContaining("'arn' is missing");
        assertThatThrownBy(() -> MappingChangeJson.read("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> MappingChangeJson.read("{")).isInstanceOf(IllegalArgumentException.class);
    }
}
