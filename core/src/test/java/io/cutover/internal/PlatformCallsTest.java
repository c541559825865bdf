package io.cutover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlatformCallsTest {

    @Test
    void repeatedTransientFailuresOpenTheBreakerUntilItsWaitHasPassedOnTheInjectedClock() {
        VirtualScheduler time = new VirtualScheduler();
        PlatformCalls calls = new PlatformCalls("app", time.clock(), PlatformCalls.RetrySettings.DEFAULT);
        AtomicInteger reached = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> calls.write("apply", () -> {
                reached.incrementAndGet();
                throw CutoverException.transientFailure("apply", "503", null);
            })).isInstanceOf(CutoverException.class);
        }
        assertThat(reached).hasValue(20);
        assertThatThrownBy(() -> calls.write("apply", reached::incrementAndGet))
                .isInstanceOf(CutoverException.class).hasMessageContaining("circuit breaker is open")
                .satisfies(e -> assertThat(((CutoverException) e).isRetryable()).isTrue());
        assertThat(reached).hasValue(20); // the platform was not called
        time.advance(Duration.ofSeconds(31));
        calls.write("apply", reached::incrementAndGet);
        assertThat(reached).hasValue(21);
        assertThat(calls.writes()).isEqualTo(22);
    }

    @Test
    void permanentFailuresDoNotOpenTheBreaker() {
        PlatformCalls calls = new PlatformCalls("app", new VirtualScheduler().clock(), PlatformCalls.RetrySettings.DEFAULT);
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> calls.read("status", () -> {
                throw CutoverException.permanent("status", "404 not found", null);
            })).hasMessage("404 not found");
        }
        assertThat(calls.read("status", () -> "ok")).isEqualTo("ok");
    }

    @Test
    void unexpectedExceptionsBecomePermanentNamingTheOperation() {
        PlatformCalls calls = new PlatformCalls("app", new VirtualScheduler().clock(), PlatformCalls.RetrySettings.DEFAULT);
        assertThatThrownBy(() -> calls.read("status STABLE", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(CutoverException.class).hasMessageStartingWith("status STABLE failed: ")
                .satisfies(e -> assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT));
    }

    @Test
    void backoffGrowsWithJitterAndStaysUnderItsMaximum() {
        PlatformCalls calls = new PlatformCalls("app", new VirtualScheduler().clock(), PlatformCalls.RetrySettings.DEFAULT);
        Duration first = calls.backoff(1);
        assertThat(first).isEqualTo(Duration.ofSeconds(1));
        for (int attempt = 2; attempt <= 12; attempt++) {
            assertThat(calls.backoff(attempt)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
        assertThat(calls.backoff(4)).isGreaterThan(first);
        PlatformCalls same = new PlatformCalls("app", new VirtualScheduler().clock(), PlatformCalls.RetrySettings.DEFAULT);
        assertThat(same.backoff(5)).isEqualTo(new PlatformCalls("app", new VirtualScheduler().clock(),
                PlatformCalls.RetrySettings.DEFAULT).backoff(5)); // seeded: same target, same waits
    }
}
