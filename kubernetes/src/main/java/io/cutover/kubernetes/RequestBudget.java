package io.cutover.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One engine's budget of API requests: a token bucket ({@code qps} tokens a second, at most
 * {@code burst} saved up) that every request of the engine's client passes, whichever rollout sends
 * it. A request that finds no token waits in line; requests marked {@linkplain #urgently urgent}
 * (the writes that return traffic to stable during an abort) go before every ordinary one waiting.
 *
 * <pre>{@code
 * RequestBudget budget = RequestBudget.builder().qps(40).burst(80).build();
 * KubernetesClient client = KubernetesTarget.client(Config.autoConfigure(null), budget);
 * }</pre>
 *
 * <p>Defaults: 40 requests a second with a burst of 80, Argo Rollouts' controller settings on
 * client-go's token bucket (client-go's own 5 and 10 are for command-line clients; a controller
 * driving hundreds of rollouts raises them, as Argo and the kube-controller-manager do). The clock
 * and the way a request waits are injectable, so tests run on virtual time.
 */
public final class RequestBudget {

    /** How a request waits for its token: parks the thread by default; tests move a virtual clock. */
    @FunctionalInterface
    public interface Pacer {
        /**
         * Lets {@code duration} pass for the calling request.
         *
         * @param duration how long to wait
         * @throws InterruptedException if the waiting thread is interrupted
         */
        void pause(Duration duration) throws InterruptedException;
    }

    private static final ThreadLocal<Boolean> URGENT = ThreadLocal.withInitial(() -> false);

    private record Ticket(boolean urgent, long seq) implements Comparable<Ticket> {
        @Override
        public int compareTo(Ticket o) {
            return urgent != o.urgent ? (urgent ? -1 : 1) : Long.compare(seq, o.seq);
        }
    }

    private final double qps;
    private final int burst;
    private final Clock clock;
    private final Pacer pacer;
    private final PriorityQueue<Ticket> line = new PriorityQueue<>();
    private double tokens;
    private Instant refilledAt;
    private long seq;
    private long granted;
    private long urgentGranted;

    private RequestBudget(Builder b) {
        this.qps = b.qps;
        this.burst = b.burst;
        this.clock = b.clock;
        this.pacer = b.pacer;
        this.tokens = b.burst;
        this.refilledAt = clock.instant();
    }

    /**
     * A budget with the defaults: 40 requests a second, a burst of 80, the system clock.
     *
     * @return a new budget
     */
    public static RequestBudget defaults() {
        return builder().build();
    }

    /**
     * A builder for a budget other than the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code body} with every request it sends marked urgent: it goes before ordinary ones waiting.
     *
     * @param <T> the body's result type
     * @param body what sends the requests
     * @return what {@code body} returns
     */
    public static <T> T urgently(Supplier<T> body) {
        boolean before = URGENT.get();
        URGENT.set(true);
        try {
            return body.get();
        } finally {
            URGENT.set(before);
        }
    }

    /**
     * {@link #urgently(Supplier)} for a body without a value.
     *
     * @param body what sends the requests
     */
    public static void urgently(Runnable body) {
        urgently(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Takes a token for one request, waiting in line for it when there is none.
     *
     * @throws InterruptedException when the waiting thread is interrupted (it leaves the line)
     */
    public void acquire() throws InterruptedException {
        Ticket me;
        synchronized (this) {
            me = new Ticket(URGENT.get(), seq++);
            line.add(me);
        }
        try {
            while (true) {
                Duration wait;
                synchronized (this) {
                    refill();
                    if (line.peek() == me && tokens >= 1) {
                        tokens -= 1;
                        line.poll();
                        granted++;
                        if (me.urgent()) {
                            urgentGranted++;
                        }
                        return;
                    }
                    // every waiter wakes when the next token is due; the first in line takes it
                    double missing = Math.max(0, 1 - tokens);
                    wait = Duration.ofNanos(Math.max(1, (long) Math.ceil(missing / qps * 1e9)));
                }
                pacer.pause(wait);
            }
        } finally {
            synchronized (this) {
                line.remove(me);
            }
        }
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(refilledAt)) {
            double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + seconds * qps);
            refilledAt = now;
        }
    }

    /**
     * Requests waiting for a token now.
     *
     * @return the number of waiting requests
     */
    public synchronized int waiting() {
        return line.size();
    }

    /**
     * Requests let through so far, urgent ones included.
     *
     * @return the count
     */
    public synchronized long granted() {
        return granted;
    }

    /**
     * Urgent requests let through so far.
     *
     * @return the count
     */
    public synchronized long urgentGranted() {
        return urgentGranted;
    }

    /**
     * Tokens added per second.
     *
     * @return the rate
     */
    public double qps() {
        return qps;
    }

    /**
     * Tokens saved up at most.
     *
     * @return the burst
     */
    public int burst() {
        return burst;
    }

    /**
     * The fabric8 interceptor that makes every request of a client wait for this budget; install it
     * with {@link KubernetesTarget#client(io.fabric8.kubernetes.client.Config, RequestBudget)}.
     *
     * @return a new interceptor that waits for a token before each request
     */
    public Interceptor interceptor() {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                try {
                    acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException cause = new InterruptedIOException("interrupted waiting for the request budget");
                    cause.initCause(e);
                    throw new KubernetesClientException(request.method() + " " + request.uri().getPath()
                            + " was interrupted while waiting for the request budget", cause);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "RequestBudget[" + qps + " qps, burst " + burst + "]";
    }

    /** Builds a {@link RequestBudget}: 40 requests a second, a burst of 80, the system UTC clock, parking threads. */
    public static final class Builder {
        private double qps = 40;
        private int burst = 80;
        private Clock clock = Clock.systemUTC();
        private Pacer pacer = d -> {
            LockSupport.parkNanos(d.toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        };

        private Builder() { }

        /**
         * Tokens added per second; positive and finite.
         *
         * @param qps the rate (default 40)
         * @return this builder
         */
        public Builder qps(double qps) {
            if (!(qps > 0) || Double.isInfinite(qps)) {
                throw new IllegalArgumentException("qps must be positive and finite: " + qps);
            }
            this.qps = qps;
            return this;
        }

        /**
         * Tokens saved up at most (and at start); at least 1.
         *
         * @param burst the burst (default 80)
         * @return this builder
         */
        public Builder burst(int burst) {
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1: " + burst);
            }
            this.burst = burst;
            return this;
        }

        /**
         * The clock tokens are refilled on (default the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How a request waits; default: parks its thread.
         *
         * @param pacer the pacer
         * @return this builder
         */
        public Builder withPacer(Pacer pacer) {
            this.pacer = Objects.requireNonNull(pacer, "pacer");
            return this;
        }

        /**
         * Builds the budget, full at the start.
         *
         * @return the budget
         */
        public RequestBudget build() {
            return new RequestBudget(this);
        }
    }
}
