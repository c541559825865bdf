package io.cutover.probe;

import java.net.URI;

/**
 * Health probes, made for static import.
 *
 * <pre>{@code
 * import static io.cutover.probe.Probes.http;
 *
 * HealthProbe probe = http(URI.create("http://myapp:8080"))
 *         .readinessPath("/ready")
 *         .header("Authorization", "Bearer " + token)
 *         .timeout(Duration.ofSeconds(1))
 *         .build();
 * Target.builder("myapp").health(probe)...
 * }</pre>
 *
 * <p>Defaults of {@link #http}: liveness {@code GET /health}, readiness {@code GET /ready}, status 200
 * expected, any body, 2-second timeout (for connecting too), no extra headers, every revision probed at
 * the base URI (give {@code address(revision -> uri)} to probe each revision at its own address).
 */
public final class Probes {

    private Probes() { }

    /**
     * An HTTP probe of the service at {@code base} (http or https, no credentials or query; a path such
     * as {@code http://host/app} prefixes the probe paths).
     *
     * @param base the service's base URI
     * @return a builder of the probe, its defaults documented on {@link HttpHealthProbe.Builder}
     */
    public static HttpHealthProbe.Builder http(URI base) {
        return HttpHealthProbe.builder(base);
    }

    /**
     * {@link #http(URI)} of a URI given as text.
     *
     * @param base the service's base URI
     * @return a builder of the probe
     */
    public static HttpHealthProbe.Builder http(String base) {
        if (base == null) {
            throw new IllegalArgumentException("base must not be null");
        }
        try {
            return http(new URI(base));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("base is not a valid URI: " + e.getReason() + " at index " + e.getIndex(), e);
        }
    }
}
