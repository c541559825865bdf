package io.cutover.spi;

/** The answer of a health probe: whether the revision is alive and ready, with what was seen. */
public record Health(boolean live, boolean ready, String detail) {

    public static Health ready(String detail) {
        return new Health(true, true, detail);
    }

    public static Health notReady(String detail) {
        return new Health(true, false, detail);
    }

    public static Health down(String detail) {
        return new Health(false, false, detail);
    }
}
