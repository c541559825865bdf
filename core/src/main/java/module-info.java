/**
 * Cutover core: the release DSL, plans, the engine, the SPI adapters implement, gates, events, state
 * stores, HTTP probes and webhooks, and the in-memory simulator. Every package is exported except
 * {@code io.cutover.internal}, which is not API.
 */
module io.cutover {
    requires transitive org.slf4j;
    requires tools.jackson.databind;
    requires com.fasterxml.jackson.annotation;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;
    requires java.net.http;
    requires org.apache.commons.statistics.distribution;
    requires org.apache.commons.statistics.inference;

    exports io.cutover;
    exports io.cutover.event;
    exports io.cutover.fault;
    exports io.cutover.gate;
    exports io.cutover.hook;
    exports io.cutover.plan;
    exports io.cutover.probe;
    exports io.cutover.sim;
    exports io.cutover.spi;
    exports io.cutover.state;
    exports io.cutover.time;
    exports io.cutover.view;

    // webhook bodies are package-private records written by Jackson
    opens io.cutover.hook to tools.jackson.databind;
}
