package io.cutover.engine;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.StateStore;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A simulated platform, a virtual clock and an engine on them, with every event recorded. */
final class Fixture {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    final VirtualScheduler time = new VirtualScheduler();
    final StateStore store = InMemoryStateStore.encodingJson(); // every save goes through JSON, as in durable stores
    final List<RolloutEvent> events = new CopyOnWriteArrayList<>();
    final SimulatedPlatform platform;
    final Target target;
    RolloutEngine engine;

    static Fixture allOrNothing() {
        return new Fixture(Behaviour.healthy(), java.util.EnumSet.noneOf(RouterCapability.class));
    }

    Fixture(Behaviour candidate, RouterCapability... router) {
        this(candidate, router.length == 0
                ? java.util.EnumSet.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR)
                : java.util.EnumSet.copyOf(List.of(router)));
    }

    Fixture(Behaviour candidate, java.util.Set<RouterCapability> router) {
        platform = SimulatedPlatform.builder(time.clock()).stable(V1, 4, Behaviour.healthy())
                .behaviour("v2", candidate).router(router.toArray(RouterCapability[]::new))
                .build();
        target = platform.target("app");
        engine = newEngine();
    }

    static Fixture healthy() {
        return new Fixture(Behaviour.healthy());
    }

    static Fixture failing(double errorRate) {
        return new Fixture(Behaviour.healthy().withErrorRate(errorRate));
    }

    RolloutEngine newEngine() {
        return RolloutEngine.builder().withScheduler(time).withStateStore(store).onEvent(events::add).build();
    }

    Rollout start(Deployment deployment) {
        return engine.start("app", deployment, V2, target);
    }

    <T extends RolloutEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Integer> weights() {
        return events(RolloutEvent.TrafficChanged.class).stream().map(e -> e.split().candidateWeight()).toList();
    }
}
