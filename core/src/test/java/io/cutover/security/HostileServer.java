package io.cutover.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server behaving as a careless or hostile remote party: it echoes every request header
 * (credentials included) with CR/LF in its answer, or streams an endless body.
 */
final class HostileServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicLong bytesSent = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int status = 500;
    private volatile long streamBytes;

    HostileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers {@code status} with a body repeating every request header, each line ending in CR LF. */
    HostileServer echo(int status) {
        this.status = status;
        this.streamBytes = 0;
        return this;
    }

    /** Answers {@code status} with a chunked body of {@code bytes} bytes, written as long as the client reads. */
    HostileServer stream(int status, long bytes) {
        this.status = status;
        this.streamBytes = bytes;
        return this;
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    /** Body bytes the server managed to hand to the connection. */
    long bytesSent() {
        return bytesSent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (streamBytes > 0) {
                exchange.sendResponseHeaders(status, 0);
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                OutputStream out = exchange.getResponseBody();
                for (long sent = 0; sent < streamBytes; sent += chunk.length) {
                    out.write(chunk);
                    bytesSent.addAndGet(chunk.length);
                }
                return;
            }
            StringBuilder echo = new StringBuilder("you sent:\r\n");
            exchange.getRequestHeaders().forEach((name, values) ->
                    values.forEach(v -> echo.append(name).append(": ").append(v).append("\r\n")));
            echo.append("\r\n2026-01-01 00:00:00 INFO  io.cutover.RolloutEngine - rollout myapp SUCCEEDED\r\n");
            byte[] out = echo.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
        } catch (IOException e) {
            // the client hung up: the point of the endless body
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
