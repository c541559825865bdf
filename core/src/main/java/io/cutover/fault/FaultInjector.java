package io.cutover.fault;

import io.cutover.CutoverException;
import io.cutover.time.Scheduler;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides, call by call, which fault (if any) a decorated call suffers, and injects it. Faults come
 * from a script first ({@link #next}), then by seed at the configured rate among the configured kinds;
 * the same seed and the same calls give the same faults. Shared by the decorators of {@link Faults}.
 *
 * <pre>{@code
 * FaultInjector faults = FaultInjector.builder(42).rate(0.1).kinds(FaultKind.quick()).build();
 * Target faulty = Faults.target(target, faults);
 * }</pre>
 */
public final class FaultInjector {

    private final SplittableRandom random;
    private final double rate;
    private final List<FaultKind> kinds;
    private final Scheduler scheduler;
    private final Duration slowBy;
    private final Duration hangFor;
    private final Predicate<String> applies;
    private final ArrayDeque<FaultKind> script = new ArrayDeque<>();
    private final Map<String, Object> lastAnswers = new HashMap<>();
    private final List<String> injected = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch hanging = new CountDownLatch(1);
    private volatile boolean enabled = true;
    private int errors;

    private FaultInjector(Builder b) {
        this.random = new SplittableRandom(b.seed);
        this.rate = b.rate;
        this.kinds = List.copyOf(b.kinds);
        this.scheduler = b.scheduler;
        this.slowBy = b.slowBy;
        this.hangFor = b.hangFor;
        this.applies = b.applies;
    }

    /**
     * Starts an injector whose faults are drawn from {@code seed}. Defaults: rate 0 (only scripted faults),
     * the quick kinds ({@link FaultKind#quick()}), SLOW calls 10 seconds late, every operation.
     *
     * @param seed the seed: the same seed draws the same faults for the same calls
     * @return a new builder
     */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /**
     * An injector that injects only what is scripted with {@link #next}.
     *
     * @return a new injector with rate 0
     */
    public static FaultInjector scripted() {
        return builder(0).rate(0).build();
    }

    /**
     * The next calls suffer these faults, in order, before any drawn by seed.
     *
     * @param faults the faults, one per call
     * @return this injector
     */
    public synchronized FaultInjector next(FaultKind... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    /**
     * Stops injecting (scripted faults included); calls pass through.
     *
     * @return this injector
     */
    public FaultInjector disable() {
        enabled = false;
        return this;
    }

    /** Lets every hanging call return (with a transient failure) and every later one pass through. */
    public void release() {
        enabled = false;
        released.countDown();
    }

    /**
     * Waits (up to {@code limit}) until some call hangs; for tests that act while a call hangs.
     *
     * @param limit the longest wait, on the real clock
     * @return {@code true} when a call hangs, {@code false} when the limit passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitHang(Duration limit) throws InterruptedException {
        return hanging.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * What was injected, in order: {@code "<operation>: <KIND>"}.
     *
     * @return the lines, oldest first
     */
    public List<String> injected() {
        synchronized (injected) {
            return List.copyOf(injected);
        }
    }

    /**
     * Runs a read under the fault drawn for it.
     *
     * @param <T>       what the read returns
     * @param operation the operation's name, such as {@code router.read}
     * @param call      the real read
     * @return the read's answer, or what the fault makes of it
     */
    public <T> T read(String operation, Supplier<T> call) {
        FaultKind fault = draw(operation);
        if (fault == null) {
            return remember(operation, call.get());
        }
        switch (fault) {
            case NULL:
                return null;
            case LOST_RESPONSE:
                remember(operation, call.get());
                throw CutoverException.transientFailure(operation, "injected: response to " + operation + " lost", null);
            case STALE_READ: {
                T fresh = call.get();
                T stale = previous(operation, fresh);
                remember(operation, fresh);
                return stale;
            }
            default:
                before(fault, operation);
                return remember(operation, call.get());
        }
    }

    /**
     * Runs a write under the fault drawn for it.
     *
     * @param operation the operation's name, such as {@code router.apply}
     * @param call      the real write
     */
    public void write(String operation, Runnable call) {
        FaultKind fault = draw(operation);
        if (fault == null) {
            call.run();
            return;
        }
        switch (fault) {
            case NULL:
                return;
            case LOST_RESPONSE, STALE_READ:
                call.run();
                throw CutoverException.transientFailure(operation, "injected: response to " + operation + " lost after it took effect", null);
            default:
                before(fault, operation);
                call.run();
        }
    }

    private synchronized FaultKind draw(String operation) {
        if (!enabled || !applies.test(operation)) {
            return null;
        }
        FaultKind fault = script.poll();
        if (fault == null && rate > 0 && !kinds.isEmpty() && random.nextDouble() < rate) {
            fault = kinds.get(random.nextInt(kinds.size()));
        }
        if (fault != null) {
            injected.add(operation + ": " + fault);
        }
        return fault;
    }

    private void before(FaultKind fault, String operation) {
        switch (fault) {
            case TRANSIENT -> throw CutoverException.transientFailure(operation, "injected: 503 on " + operation, null);
            case CONFLICT -> throw CutoverException.conflict(operation, "injected: 409 on " + operation, null);
            case PERMANENT -> throw CutoverException.permanent(operation, "injected: 403 on " + operation, null);
            case STATE -> throw new CutoverException(CutoverException.Kind.STATE, operation, "injected: bad state on " + operation);
            case UNCHECKED -> throw new IllegalStateException("injected: unexpected exception in " + operation);
            case ERROR -> throw nextError(operation);
            case HANG -> hang(operation, null);
            case SLOW -> hang(operation, slowBy);
            default -> { }
        }
    }

    private synchronized Error nextError(String operation) {
        return switch (errors++ % 3) {
            case 0 -> new StackOverflowError("injected in " + operation);
            case 1 -> new NoSuchMethodError("injected in " + operation);
            default -> new ExceptionInInitializerError("injected in " + operation);
        };
    }

    /**
     * Blocks until released, interrupted, or (for a delay) the delay has passed on the scheduler. On a
     * {@link VirtualScheduler} that no other thread drives, nothing could end the wait: the call takes its
     * time as virtual time instead (the scheduler is advanced by the delay, or by the hang's length, after
     * which a hang fails), so a caller that measures its deadline on the scheduler sees it pass.
     */
    private void hang(String operation, Duration delay) {
        if (scheduler instanceof VirtualScheduler virtual && !virtual.drivenByAnotherThread()) {
            virtual.advance(delay != null ? delay : hangFor);
            if (delay == null) {
                hanging.countDown();
                throw CutoverException.transientFailure(operation, "injected hang in " + operation + ": no answer after "
                        + hangFor + " of virtual time", null);
            }
            return;
        }
        CountDownLatch over = released;
        if (delay != null) {
            CountDownLatch slow = new CountDownLatch(1);
            scheduler.schedule(slow::countDown, delay);
            over = slow;
        } else {
            hanging.countDown();
        }
        try {
            over.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.transientFailure(operation, "injected hang in " + operation + " interrupted", e);
        }
        if (delay == null) {
            throw CutoverException.transientFailure(operation, "injected hang in " + operation + " released", null);
        }
    }

    private synchronized <T> T remember(String operation, T answer) {
        lastAnswers.put(operation, answer);
        return answer;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> T previous(String operation, T otherwise) {
        return lastAnswers.containsKey(operation) ? (T) lastAnswers.get(operation) : otherwise;
    }

    /** Settings of a {@link FaultInjector}. Defaults: rate 0, every kind but HANG and SLOW, every operation. */
    public static final class Builder {
        private final long seed;
        private double rate;
        private Set<FaultKind> kinds = FaultKind.quick();
        private Scheduler scheduler;
        private Duration slowBy = Duration.ofSeconds(10);
        private Duration hangFor = Duration.ofHours(1);
        private Predicate<String> applies = op -> true;

        private Builder(long seed) {
            this.seed = seed;
        }

        /**
         * The share of calls (0..1) that suffer a fault drawn by seed.
         *
         * @param rate 0 to 1; default 0
         * @return this builder
         */
        public Builder rate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate must be within 0..1: " + rate);
            }
            this.rate = rate;
            return this;
        }

        /**
         * The kinds drawn from.
         *
         * @param kinds one kind or more
         * @return this builder
         */
        public Builder kinds(Set<FaultKind> kinds) {
            this.kinds = EnumSet.copyOf(Objects.requireNonNull(kinds, "kinds"));
            return this;
        }

        /**
         * The kinds drawn from.
         *
         * @param first a kind
         * @param more  further kinds
         * @return this builder
         */
        public Builder kinds(FaultKind first, FaultKind... more) {
            return kinds(EnumSet.of(first, more));
        }

        /**
         * The delay of a SLOW call, measured on {@code scheduler}; required when SLOW may be drawn or scripted.
         *
         * @param delay     how late a SLOW call answers
         * @param scheduler the scheduler the delay runs on
         * @return this builder
         */
        public Builder slow(Duration delay, Scheduler scheduler) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("slow delay must not be negative: " + delay);
            }
            this.slowBy = delay;
            return measuredOn(scheduler);
        }

        /**
         * The scheduler hangs are measured on, and how long a HANG lasts on a {@link VirtualScheduler} that no
         * other thread drives (where a blocked call would block virtual time itself): there it fails after
         * {@code lasting} of virtual time. Elsewhere a HANG blocks until interrupted or {@link FaultInjector#release()}d.
         *
         * @param lasting how long a HANG lasts on an undriven virtual scheduler; positive
         * @param scheduler the scheduler hangs and slow calls are measured on; the same for both
         * @return this builder
         * @throws IllegalArgumentException if {@code lasting} is not positive or another scheduler was given
         */
        public Builder hangs(Duration lasting, Scheduler scheduler) {
            if (lasting == null || lasting.isNegative() || lasting.isZero()) {
                throw new IllegalArgumentException("hang length must be positive: " + lasting);
            }
            this.hangFor = lasting;
            return measuredOn(scheduler);
        }

        private Builder measuredOn(Scheduler scheduler) {
            Objects.requireNonNull(scheduler, "scheduler");
            if (this.scheduler != null && scheduler != this.scheduler) {
                throw new IllegalArgumentException("hangs and slow calls must be measured on one scheduler");
            }
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Only operations whose name this accepts get faults (names like {@code "router.apply"}).
         *
         * @param operations accepts the operation names that may get faults
         * @return this builder
         */
        public Builder only(Predicate<String> operations) {
            this.applies = Objects.requireNonNull(operations, "operations");
            return this;
        }

        /**
         * Builds the injector.
         *
         * @return the injector
         * @throws IllegalArgumentException if SLOW may be drawn and no scheduler was given
         */
        public FaultInjector build() {
            if (scheduler == null && kinds.contains(FaultKind.SLOW) && rate > 0) {
                throw new IllegalArgumentException("kinds include SLOW: give its delay and scheduler with slow(delay, scheduler)");
            }
            return new FaultInjector(this);
        }
    }
}
