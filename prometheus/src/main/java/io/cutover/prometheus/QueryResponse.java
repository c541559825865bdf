package io.cutover.prometheus;

import java.util.List;
import java.util.Objects;

/**
 * A successful answer: the result, and what the server said alongside it.
 *
 * @param result   the data
 * @param warnings the server's {@code warnings}: the result may be incomplete or wrong
 * @param infos    the server's {@code infos}: hints that do not make the result doubtful
 */
public record QueryResponse(QueryResult result, List<String> warnings, List<String> infos) {

    /**
     * Copies the lists; they are immutable afterwards.
     *
     * @param result   the data
     * @param warnings the server's {@code warnings}: the result may be incomplete or wrong
     * @param infos    the server's {@code infos}: hints that do not make the result doubtful
     */
    public QueryResponse {
        Objects.requireNonNull(result, "result");
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }
}
