package io.cutover.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code cap} bytes of a body as text and stops reading there, so an endpoint answering
 * an endless or huge body cannot exhaust memory. The charset is the response's, UTF-8 by default.
 * The one reader of remote bodies: the health probe, the webhook and the Prometheus client use it.
 */
public final class CappedBody implements HttpResponse.BodySubscriber<String> {

    private final int cap;
    private final Charset charset;
    private final byte[] bytes;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private int size;
    private Flow.Subscription subscription;

    private CappedBody(int cap, Charset charset) {
        this.cap = cap;
        this.charset = charset;
        this.bytes = new byte[cap];
    }

    /** The most of a remote body any Cutover client reads. */
    public static final int DEFAULT_CAP = 64 * 1024;

    /** A handler reading at most {@code cap} bytes (at least 1) of the body. */
    public static HttpResponse.BodyHandler<String> handler(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1: " + cap);
        }
        return info -> new CappedBody(cap, charsetOf(info.headers().firstValue("Content-Type").orElse("")));
    }

    public static Charset charsetOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").strip());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int n = Math.min(buffer.remaining(), cap - size);
            buffer.get(bytes, size, n);
            size += n;
        }
        if (size >= cap) {
            subscription.cancel();
            complete();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        complete();
    }

    private void complete() {
        result.complete(new String(bytes, 0, size, charset));
    }
}
