package io.cutover.state;

import java.time.Instant;

/** One line of a rollout's history: when, and what happened. */
public record HistoryEntry(Instant at, String what) { }
