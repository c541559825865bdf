package io.cutover.kubernetes.argo;

import io.cutover.gate.Condition;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Argo {@code AnalysisTemplate} (and {@code ClusterAnalysisTemplate}) manifests read into the
 * {@link AnalysisTemplates} that {@link ArgoRollouts#read} takes: each metric with a Prometheus provider
 * becomes a {@link Gates#query(String, String, Condition) query gate} on the target's metric source, its
 * {@code {{args.name}}} placeholders filled with the arguments the Rollout passes (or the template's
 * defaults), and its interval, count, initial delay and limits become the {@link GatePolicy}.
 *
 * <pre>{@code
 * AnalysisTemplates templates = ArgoAnalysisTemplates.read(Files.readString(Path.of("analysis.yaml")));
 * ArgoRollout imported = ArgoRollouts.read(Files.readString(Path.of("rollout.yaml")), templates);
 * }</pre>
 *
 * The YAML may hold several documents; those of other kinds (a Rollout, a Service) are skipped. A field
 * Cutover cannot honour (another provider, a condition beyond {@code result[0] >= x}, {@code dryRun}...)
 * is refused with an {@link UnsupportedFieldException} naming its path, never dropped. Where Argo runs a
 * metric with an interval but no count until the analysis ends, Cutover measures it
 * {@code GatePolicy}'s default count of times.
 */
public final class ArgoAnalysisTemplates implements AnalysisTemplates {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> KINDS = Set.of("AnalysisTemplate", "ClusterAnalysisTemplate");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern ARG = Pattern.compile("args\\.([A-Za-z0-9._-]+)");
    /**
     * What an argument may hold when it is put into a query: nothing that ends a PromQL string, a selector
     * or a call, and no space (so no operator can be added).
     */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._:/@=|^$,-]{0,253}");

    private final Map<String, Template> templates;

    private ArgoAnalysisTemplates(Map<String, Template> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** One metric, parsed: its gate name, the query with placeholders, and the condition it passes on. */
    private record Metric(String name, String query, Condition condition) { }

    /** One template, parsed: its declared arguments (with defaults, or {@code null}), metrics and policy. */
    private record Template(String name, Map<String, String> args, List<Metric> metrics, GatePolicy policy, String address) { }

    /**
     * Reads every {@code AnalysisTemplate} and {@code ClusterAnalysisTemplate} in {@code yaml} (one or
     * more documents).
     *
     * @throws UnsupportedFieldException naming the field, when a template cannot be read or uses what Cutover cannot honour
     * @param yaml the YAML text
     * @return the templates read
     */
    public static ArgoAnalysisTemplates read(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        List<Object> documents = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                documents.add(it.nextValue());
            }
        } catch (JacksonException e) {
            throw new UnsupportedFieldException("(root)", "not readable YAML: " + e.getOriginalMessage());
        }
        Map<String, Template> parsed = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Node doc = new Node(documents.size() == 1 ? "" : "document[" + i + "]", documents.get(i));
            if (doc.missing() || !KINDS.contains(String.valueOf(doc.map().get("kind")))) {
                continue;
            }
            Template t = template(doc);
            if (parsed.put(t.name(), t) != null) {
                throw doc.get("metadata").get("name").error("template defined twice: " + t.name());
            }
        }
        return new ArgoAnalysisTemplates(parsed);
    }

    /**
     * The templates read, by name.
     *
     * @return the names, sorted
     */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(templates.keySet()));
    }

    /**
     * The Prometheus address template {@code name} gives ({@code provider.prometheus.address}), or
     * {@code null}: the gates query the target's metric source, which should be a Prometheus at it.
     *
     * @param name a template's name
     * @return the address, or {@code null}
     */
    public String address(String name) {
        Template t = templates.get(name);
        return t == null ? null : t.address();
    }

    /**
     * Template {@code name} with {@code args}: its queries with every {@code {{args.x}}} filled in.
     *
     * @throws IllegalArgumentException when an argument has no value, is not one the template declares,
     *                                  or holds what could change the query's meaning (quotes, braces, new lines)
     */
    @Override
    public Analysis resolve(String name, Map<String, String> args) {
        Template t = templates.get(name);
        if (t == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>(t.args());
        for (Map.Entry<String, String> e : args.entrySet()) {
            if (!t.args().containsKey(e.getKey())) {
                throw new IllegalArgumentException("argument '" + e.getKey() + "' is not declared by template '" + name
                        + "' (it declares " + t.args().keySet() + ")");
            }
            if (e.getValue() == null || !SAFE_VALUE.matcher(e.getValue()).matches()) {
                throw new IllegalArgumentException("argument '" + e.getKey() + "' of template '" + name + "' must be up to 253"
                        + " letters, digits or . _ : / @ = | ^ $ , - (no quotes, brackets, braces, spaces or new lines,"
                        + " which could change the query)");
            }
            values.put(e.getKey(), e.getValue());
        }
        List<Gate> gates = new ArrayList<>();
        for (Metric m : t.metrics()) {
            gates.add(Gates.query(m.name(), fill(m.query(), values, name), m.condition()));
        }
        return new Analysis(gates, t.policy());
    }

    private static String fill(String query, Map<String, String> values, String template) {
        Matcher m = PLACEHOLDER.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher arg = ARG.matcher(m.group(1));
            arg.matches();
            String value = values.get(arg.group(1));
            if (value == null) {
                throw new IllegalArgumentException("argument '" + arg.group(1) + "' of template '" + template
                        + "' has no value: pass it in the Rollout's analysis args");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Template template(Node doc) {
        doc.only(Set.of("apiVersion", "kind", "metadata", "spec", "status"), Map.of());
        String api = doc.get("apiVersion").text();
        if (!api.equals("argoproj.io/v1alpha1")) {
            throw doc.get("apiVersion").error("must be argoproj.io/v1alpha1: '" + api + "'");
        }
        String name = doc.get("metadata").get("name").text();
        Node spec = doc.get("spec");
        if (spec.missing()) {
            throw spec.error("is required");
        }
        spec.only(Set.of("args", "metrics"), Map.of(
                "dryRun", "a gate either counts or is not given",
                "measurementRetention", "the rollout's state keeps every measurement"));
        Map<String, String> args = new LinkedHashMap<>();
        for (Node arg : spec.get("args").list()) {
            arg.only(Set.of("name", "value"), Map.of("valueFrom",
                    "values from secrets or pod fields are not known to Cutover; pass the value from the Rollout"));
            String argName = arg.get("name").text();
            if (args.containsKey(argName)) {
                throw arg.get("name").error("argument declared twice: " + argName);
            }
            args.put(argName, arg.has("value") ? arg.get("value").text() : null);
        }
        List<Node> metricNodes = spec.get("metrics").list();
        if (metricNodes.isEmpty()) {
            throw spec.get("metrics").error("needs at least one metric");
        }
        List<Metric> metrics = new ArrayList<>();
        GatePolicy policy = null;
        String address = null;
        for (Node metric : metricNodes) {
            metric.only(Set.of("name", "interval", "initialDelay", "count", "successCondition", "failureCondition",
                    "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "provider"), Map.of(
                    "consecutiveSuccessLimit", "an analysis passes after its count of measurements",
                    "dryRun", "a gate either counts or is not given"));
            String metricName = metric.get("name").text();
            GatePolicy p = policy(metric);
            if (policy != null && !policy.equals(p)) {
                throw metric.error("is measured with " + p + ", the template's first metric with " + policy
                        + "; Cutover measures one template with one policy");
            }
            policy = p;
            Node prometheus = prometheus(metric.get("provider"));
            String query = prometheus.get("query").text().strip();
            checkPlaceholders(prometheus.get("query"), query, args.keySet());
            if (prometheus.has("address")) {
                address = prometheus.get("address").text();
            }
            metrics.add(new Metric(metricName, query, ArgoCondition.passing(metric)));
        }
        return new Template(name, args, metrics, policy, address);
    }

    private static Node prometheus(Node provider) {
        if (provider.missing()) {
            throw provider.error("is required");
        }
        provider.only(Set.of("prometheus"), Map.of(
                "web", "call the endpoint from a Gate of your own",
                "job", "run the job as a Hook",
                "datadog", "no Cutover metric source for it yet; write a Gate",
                "newRelic", "no Cutover metric source for it yet; write a Gate",
                "wavefront", "no Cutover metric source for it yet; write a Gate",
                "kayenta", "use Gates.compare(..), Cutover's baseline-versus-candidate judge",
                "cloudWatch", "use the ECS module's CloudWatch alarm gate",
                "graphite", "no Cutover metric source for it yet; write a Gate",
                "influxdb", "no Cutover metric source for it yet; write a Gate",
                "plugin", "Cutover has no plugin metric providers; write a Gate"));
        Node prometheus = provider.get("prometheus");
        prometheus.only(Set.of("address", "query"), Map.of(
                "timeout", "the engine's call deadline bounds every query",
                "insecure", "configure TLS on the PrometheusClient",
                "headers", "configure headers on the PrometheusClient",
                "authentication", "configure authentication on the PrometheusClient",
                "rangeQuery", "Cutover gates judge an instant query's single value"));
        return prometheus;
    }

    private static void checkPlaceholders(Node node, String query, Set<String> declared) {
        Matcher m = PLACEHOLDER.matcher(query);
        while (m.find()) {
            Matcher arg = ARG.matcher(m.group(1));
            if (!arg.matches()) {
                throw node.error("no Cutover equivalent for placeholder '{{" + m.group(1) + "}}': only {{args.name}} is filled in");
            }
            if (!declared.contains(arg.group(1))) {
                throw node.error("uses argument '" + arg.group(1) + "' that spec.args does not declare");
            }
        }
    }

    private static GatePolicy policy(Node metric) {
        GatePolicy.Builder b = GatePolicy.builder();
        if (metric.has("interval")) {
            b.interval(GoDuration.parse(metric.get("interval")));
        }
        if (metric.has("initialDelay")) {
            b.initialDelay(GoDuration.parse(metric.get("initialDelay")));
        }
        if (metric.has("count")) {
            b.count(metric.get("count").integer(1, 10_000));
        } else if (!metric.has("interval")) {
            b.count(1); // Argo measures a metric without interval or count once
        }
        b.failureLimit(metric.has("failureLimit") ? metric.get("failureLimit").integer(0, 10_000) : 0);
        b.inconclusiveLimit(metric.has("inconclusiveLimit") ? metric.get("inconclusiveLimit").integer(0, 10_000) : 0);
        b.consecutiveErrorLimit(metric.has("consecutiveErrorLimit") ? metric.get("consecutiveErrorLimit").integer(0, 10_000) : 4);
        return b.build();
    }
}
