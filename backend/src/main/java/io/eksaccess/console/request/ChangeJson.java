package io.eksaccess.console.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eksaccess.console.apply.MappingChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored (and API) form of a {@link MappingChange}:
 * {@code {"kind":"MAP_ROLE","arn":…,"username":…,"groups":[…]}} or {@code {"kind":"MAP_ACCOUNT","accountId":…}}.
 * Our own small codec until {@code apply} publishes its MappingChangeJson; the shape is the JSON API's.
 */
final class ChangeJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeJson() {}

    static String write(MappingChange change) {
        if (change == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        ChangeKind kind = ChangeKind.of(change);
        node.put("kind", kind.name());
        node.put(kind.account() ? "accountId" : "arn", change.principal());
        if (change instanceof MappingChange.MapRole c) {
            node.put("username", c.entry().username());
            var groups = node.putArray("groups");
            c.entry().groups().forEach(groups::add);
        } else if (change instanceof MappingChange.MapUser c) {
            node.put("username", c.entry().username());
            var groups = node.putArray("groups");
            c.entry().groups().forEach(groups::add);
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static MappingChange read(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            ChangeKind kind = ChangeKind.valueOf(node.path("kind").asText());
            String principal = node.path(kind.account() ? "accountId" : "arn").asText("");
            List<String> groups = new ArrayList<>();
            node.path("groups").forEach(g -> groups.add(g.asText()));
            String username = node.path("username").asText("");
            // The stored form may carry an empty username for removals; build() only needs it for mappings.
            return kind.build(principal, username, groups);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored change is not JSON", e);
        }
    }
}
