package io.cutover;

/**
 * Holds the process's default engine, {@link RolloutEngine#shared()}: built on first use, built again
 * after someone closed it, and shut down by one JVM shutdown hook.
 */
final class SharedEngine {

    private static RolloutEngine current;
    private static boolean hookInstalled;

    private SharedEngine() { }

    static synchronized RolloutEngine get() {
        if (current == null || current.isShutdown()) {
            current = RolloutEngine.builder().build();
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedEngine::close, "cutover-shared-engine-shutdown"));
                hookInstalled = true;
            }
        }
        return current;
    }

    private static void close() {
        RolloutEngine engine;
        synchronized (SharedEngine.class) {
            engine = current;
        }
        if (engine != null) {
            engine.shutdown();
        }
    }
}
