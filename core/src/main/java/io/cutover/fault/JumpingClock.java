package io.cutover.fault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock over another that can jump forward or back (NTP steps, a VM resumed, a wrong clock fixed),
 * for tests that check nothing is measured by re-reading a wall clock.
 */
public final class JumpingClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset;

    /**
     * A clock reading {@code base} until it is moved.
     *
     * @param base the clock it follows
     */
    public JumpingClock(Clock base) {
        this(base, new AtomicReference<>(Duration.ZERO));
    }

    private JumpingClock(Clock base, AtomicReference<Duration> offset) {
        this.base = base;
        this.offset = offset;
    }

    /**
     * Moves this clock by {@code by} (negative: back) from now on.
     *
     * @param by how far to move; negative moves back
     */
    public void jump(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new JumpingClock(base.withZone(zone), offset);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }
}
