package io.cutover.prometheus.server;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link PrometheusServer} for the whole run (started on first use, stopped when the
 * run ends). A server that cannot start fails every test that asks for it; none is skipped.
 *
 * <pre>{@code
 * @ExtendWith(RealPrometheus.class)
 * class MyTest {
 *     MyTest(PrometheusServer server) { ... }
 * }
 * }</pre>
 */
public final class RealPrometheus implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PrometheusServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(RealPrometheus.class));
        Started started = store.getOrComputeIfAbsent("server", key -> {
            try {
                return new Started(PrometheusServer.start(), null);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return new Started(null, e);
            }
        }, Started.class);
        if (started.failure() != null) {
            throw new IllegalStateException("the real Prometheus server could not start: " + started.failure().getMessage(),
                    started.failure());
        }
        return started.server();
    }

    /** The server, or why it did not start (remembered so later tests fail fast). Closed when the run ends. */
    private record Started(PrometheusServer server, Exception failure) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
