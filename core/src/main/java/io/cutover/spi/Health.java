package io.cutover.spi;

/** The answer of a health probe: whether the revision is alive and ready, with what was seen. */
public record Health(boolean live, boolean ready, String detail) {

    /**
     * Alive and ready for traffic.
     *
     * @param detail what was seen, for people
     * @return the answer
     */
    public static Health ready(String detail) {
        return new Health(true, true, detail);
    }

    /**
     * Alive but not ready for traffic.
     *
     * @param detail what was seen, for people
     * @return the answer
     */
    public static Health notReady(String detail) {
        return new Health(true, false, detail);
    }

    /**
     * Neither alive nor ready.
     *
     * @param detail what was seen, for people
     * @return the answer
     */
    public static Health down(String detail) {
        return new Health(false, false, detail);
    }
}
