package io.cutover.gate;

/** What a baseline comparison does with a metric that has no data (or too few samples for the confidence asked). */
public enum MissingData {
    /** The judgment can at best be INCONCLUSIVE: nobody can tell, a person decides (the default). */
    INCONCLUSIVE,
    /** The metric counts as failing in its group's score (Kayenta's "data required"). */
    FAIL,
    /** The metric is left out of the score (Kayenta's default); the detail still names it. */
    IGNORE
}
