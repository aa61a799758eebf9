package io.eksaccess.console.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The access-for chain laid out as a left-to-right graph for the page's SVG: caller → mapping or
 * entry → user and groups → bindings or access policies → roles. Only geometry, kinds (message
 * keys), raw labels and console paths live here; the template escapes the labels and adds the
 * context path, so nothing here is markup.
 */
public record AccessTrace(int width, int height, List<Node> nodes, List<Edge> edges) {

    static final int NODE_WIDTH = 220;
    static final int NODE_HEIGHT = 40;
    static final int COLUMN_GAP = 50;
    static final int ROW_GAP = 12;
    /** Labels longer than this are cut for the drawing; the node's title and the text version keep them whole. */
    static final int LABEL_CHARS = 30;

    /** {@code kind} picks the message key {@code rbac.trace.kind.<kind>}; {@code href} is a console path or null. */
    public record Node(String id, String kind, String label, String href, int x, int y) {

        public String shortLabel() {
            return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "…";
        }
    }

    /** A cubic curve from the right side of one node to the left side of the next, as SVG path data. */
    public record Edge(String from, String to, String d) {}

    /** A mapping step: the aws-auth row or access entry (or "not mapped"), and whether the identity comes from it. */
    record Step(String id, String kind, String label, String href, boolean source) {}

    public int nodeWidth() {
        return NODE_WIDTH;
    }

    public int nodeHeight() {
        return NODE_HEIGHT;
    }

    public String viewBox() {
        return "0 0 " + width + " " + height;
    }

    /** The aws-auth-only chain. */
    static AccessTrace of(String cluster, EffectiveAccess.Chain chain) {
        List<Step> steps = new ArrayList<>();
        if (chain.mapping().mapped()) {
            steps.add(new Step("mapping", "mapping", chain.mapping().via().key() + "[" + chain.mapping().entryIndex() + "]",
                    mappingHref(cluster, chain.callerArn()), true));
        } else {
            steps.add(new Step("unmapped", "unmapped", "—", null, false));
        }
        return build(cluster, chain.callerArn(), steps, chain.identity(), chain.rules(), List.of());
    }

    /** The chain through access entries (or the aws-auth mapping the mode falls back to). */
    static AccessTrace of(String cluster, IamAnswers.Chain chain) {
        List<Step> steps = new ArrayList<>();
        if (chain.entryPrincipalArn() != null) {
            steps.add(new Step("entry", "entry", chain.entryPrincipalArn(),
                    path("/clusters/{c}/access-entries", cluster, "q", chain.entryPrincipalArn()),
                    "accessEntry".equals(chain.source())));
        }
        if (chain.mapping() != null) {
            steps.add(new Step("mapping", "mapping", chain.mapping(), mappingHref(cluster, chain.callerArn()),
                    !"accessEntry".equals(chain.source())));
        }
        if (chain.shadowed() != null) {
            steps.add(new Step("shadowed", "shadowed", chain.shadowed(), mappingHref(cluster, chain.callerArn()), false));
        }
        if (chain.source() == null) {
            steps.add(new Step("unmapped", "unmapped", "—", null, false));
        }
        return build(cluster, chain.callerArn(), steps, chain.identity(), chain.rules(),
                chain.policies() == null ? List.of() : chain.policies());
    }

    private static AccessTrace build(String cluster, String callerArn, List<Step> steps, Identity identity,
            List<RuleGrant> rules, List<IamAnswers.PolicyGrant> policies) {
        List<List<Node>> columns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            columns.add(new ArrayList<>());
        }
        List<String[]> links = new ArrayList<>();
        columns.get(0).add(node("caller", "caller", callerArn, null));
        String source = null;
        for (Step step : steps) {
            columns.get(1).add(node(step.id(), step.kind(), step.label(), step.href()));
            links.add(new String[] {"caller", step.id()});
            if (step.source()) {
                source = step.id();
            }
        }
        if (identity != null && source != null) {
            String user = "user:" + identity.user();
            columns.get(2).add(node(user, "user", identity.user(), path("/clusters/{c}/subject", cluster, "user", identity.user())));
            links.add(new String[] {source, user});
            for (String group : identity.groups()) {
                columns.get(2).add(node("group:" + group, "group", group, path("/clusters/{c}/subject", cluster, "group", group)));
                links.add(new String[] {source, "group:" + group});
            }
            Map<String, Node> bindings = new LinkedHashMap<>();
            for (RuleGrant grant : rules == null ? List.<RuleGrant>of() : rules) {
                String via = grant.via() == null ? null
                        : (Subject.USER.equals(grant.via().kind()) ? "user:" : "group:") + grant.via().name();
                BindingRef b = grant.binding();
                String bindingId = b == null ? "superuser" : "binding:" + b.kind() + "/" + (b.namespace() == null ? "" : b.namespace()) + "/" + b.name();
                if (!bindings.containsKey(bindingId)) {
                    Node bindingNode = b == null
                            ? node(bindingId, "superuser", Subject.MASTERS, path("/clusters/{c}/subject", cluster, "group", Subject.MASTERS))
                            : node(bindingId, b.kind(), b.namespace() == null ? b.name() : b.namespace() + "/" + b.name(),
                                    bindingHref(cluster, b));
                    bindings.put(bindingId, bindingNode);
                    columns.get(3).add(bindingNode);
                    if (via != null) {
                        links.add(new String[] {via, bindingId});
                    }
                    if (b != null) {
                        String roleId = "role:" + b.roleKind() + "/" + (BindingRef.ROLE_BINDING.equals(b.kind()) && "Role".equals(b.roleKind())
                                ? b.namespace() + "/" : "") + b.roleName();
                        if (columns.get(4).stream().noneMatch(n -> n.id().equals(roleId))) {
                            columns.get(4).add(node(roleId, "Role".equals(b.roleKind()) ? "Role" : "ClusterRole", b.roleName(),
                                    "Role".equals(b.roleKind()) ? bindingHref(cluster, b)
                                            : path("/clusters/{c}/rbac", cluster, "role", b.roleName())));
                        }
                        links.add(new String[] {bindingId, roleId});
                    }
                } else if (via != null && links.stream().noneMatch(l -> l[0].equals(via) && l[1].equals(bindingId))) {
                    links.add(new String[] {via, bindingId});
                }
            }
            for (IamAnswers.PolicyGrant policy : policies) {
                String id = "policy:" + policy.name();
                columns.get(3).add(node(id, "policy", policy.name() + " · " + policy.scope(),
                        path("/clusters/{c}/access-entries", cluster, "q", callerPrincipal(steps))));
                links.add(new String[] {"entry", id});
            }
        }
        return layout(columns, links);
    }

    private static String callerPrincipal(List<Step> steps) {
        return steps.stream().filter(s -> s.id().equals("entry")).map(Step::label).findFirst().orElse("");
    }

    private static AccessTrace layout(List<List<Node>> columns, List<String[]> links) {
        int rows = columns.stream().mapToInt(List::size).max().orElse(1);
        int height = rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + 2;
        int used = (int) columns.stream().filter(c -> !c.isEmpty()).count();
        int width = used * NODE_WIDTH + (used - 1) * COLUMN_GAP + 2;
        List<Node> placed = new ArrayList<>();
        Map<String, Node> byId = new LinkedHashMap<>();
        int column = 0;
        for (List<Node> nodes : columns) {
            if (nodes.isEmpty()) {
                continue;
            }
            // Each column centred vertically, so a short column sits across from its neighbours.
            int top = (height - (nodes.size() * NODE_HEIGHT + (nodes.size() - 1) * ROW_GAP)) / 2;
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                Node at = new Node(n.id(), n.kind(), n.label(), n.href(), 1 + column * (NODE_WIDTH + COLUMN_GAP),
                        top + i * (NODE_HEIGHT + ROW_GAP));
                placed.add(at);
                byId.put(at.id(), at);
            }
            column++;
        }
        List<Edge> edges = new ArrayList<>();
        for (String[] link : links) {
            Node from = byId.get(link[0]);
            Node to = byId.get(link[1]);
            if (from == null || to == null) {
                continue; // e.g. a rule via system:authenticated when the chain lists no such group
            }
            int x1 = from.x() + NODE_WIDTH;
            int y1 = from.y() + NODE_HEIGHT / 2;
            int x2 = to.x();
            int y2 = to.y() + NODE_HEIGHT / 2;
            int mid = (x1 + x2) / 2;
            edges.add(new Edge(from.id(), to.id(), "M" + x1 + " " + y1 + " C" + mid + " " + y1 + " " + mid + " " + y2 + " " + x2 + " " + y2));
        }
        return new AccessTrace(width, height, placed, edges);
    }

    private static Node node(String id, String kind, String label, String href) {
        return new Node(id, kind, label == null ? "" : label, href, 0, 0);
    }

    private static String mappingHref(String cluster, String callerArn) {
        return path("/clusters/{c}/mappings", cluster, "arn", callerArn);
    }

    private static String bindingHref(String cluster, BindingRef b) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/clusters/{c}/rbac").queryParam("role", "{r}");
        if (b.namespace() != null) {
            return uri.queryParam("namespace", "{n}").encode().buildAndExpand(cluster, b.roleName(), b.namespace()).toUriString();
        }
        return uri.encode().buildAndExpand(cluster, b.roleName()).toUriString();
    }

    /** A console path with one query parameter, both strictly encoded (a name may hold ?, &amp;, # or spaces). */
    private static String path(String template, String cluster, String parameter, String value) {
        return UriComponentsBuilder.fromPath(template).queryParam(parameter, "{v}").encode()
                .buildAndExpand(cluster, value).toUriString();
    }
}
