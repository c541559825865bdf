package io.cutover.probe;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server answering like the Flask service of the deployment guide: {@code /health} says
 * {@code {"status": "healthy"}} with 200, and {@code /ready} checks the database and Redis, answering
 * 503 with {@code {"status": "unhealthy", "checks": {...}}} when one is down. Tests can override any
 * path and make a path hang until the server closes.
 */
final class FlaskLikeService implements AutoCloseable {

    record Seen(String method, String path, Headers headers) { }

    private record Canned(int status, String contentType, byte[] body) {

        Canned(int status, String body) {
            this(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Canned> overrides = new ConcurrentHashMap<>();
    private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile String databaseError;
    private volatile String redisError;

    FlaskLikeService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The database check of {@code /ready} fails with this error. */
    FlaskLikeService databaseDown(String error) {
        this.databaseError = error;
        return this;
    }

    FlaskLikeService redisDown(String error) {
        this.redisError = error;
        return this;
    }

    FlaskLikeService respond(String path, int status, String body) {
        overrides.put(path, new Canned(status, body));
        return this;
    }

    FlaskLikeService respond(String path, int status, String contentType, byte[] body) {
        overrides.put(path, new Canned(status, contentType, body));
        return this;
    }

    /** Requests to {@code path} get no answer until the server closes (at most 10 s). */
    FlaskLikeService hang(String path) {
        hanging.put(path, true);
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        seen.add(new Seen(exchange.getRequestMethod(), path, exchange.getRequestHeaders()));
        try (exchange) {
            if (hanging.containsKey(path)) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Canned canned = overrides.getOrDefault(path, defaultAnswer(path));
            byte[] body = canned.body();
            exchange.getResponseHeaders().set("Content-Type", canned.contentType());
            exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private Canned defaultAnswer(String path) {
        switch (path) {
            case "/health":
                return new Canned(200, "{\"status\": \"healthy\"}\n");
            case "/ready":
                String db = databaseError == null ? "ok" : databaseError;
                if (databaseError != null) {
                    return new Canned(503, "{\"status\": \"unhealthy\", \"checks\": {\"database\": \"" + db + "\"}}\n");
                }
                if (redisError != null) {
                    return new Canned(503, "{\"status\": \"unhealthy\", \"checks\": {\"database\": \"ok\", \"redis\": \""
                            + redisError + "\"}}\n");
                }
                return new Canned(200, "{\"status\": \"healthy\", \"checks\": {\"database\": \"ok\", \"redis\": \"ok\"}}\n");
            default:
                return new Canned(404, "<h1>Not Found</h1>");
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
