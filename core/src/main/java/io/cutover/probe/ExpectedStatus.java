package io.cutover.probe;

import java.util.ArrayList;
import java.util.List;

/** The HTTP status codes a probe accepts: a union of closed ranges within 100..599. */
final class ExpectedStatus {

    static final ExpectedStatus OK = of(200);

    private final List<int[]> ranges;

    private ExpectedStatus(List<int[]> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    static ExpectedStatus of(int... codes) {
        if (codes == null || codes.length == 0) {
            throw new IllegalArgumentException("expectStatus must name at least one status code");
        }
        List<int[]> ranges = new ArrayList<>();
        for (int code : codes) {
            ranges.add(new int[] {check("expectStatus", code), code});
        }
        return new ExpectedStatus(ranges);
    }

    static ExpectedStatus range(int from, int to) {
        check("expectStatusIn from", from);
        check("expectStatusIn to", to);
        if (from > to) {
            throw new IllegalArgumentException("expectStatusIn range must not be empty: " + from + ".." + to);
        }
        return new ExpectedStatus(List.<int[]>of(new int[] {from, to}));
    }

    private static int check(String name, int code) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException(name + " must be an HTTP status code within 100..599: " + code);
        }
        return code;
    }

    boolean accepts(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        var s = new StringBuilder();
        for (int[] r : ranges) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(r[0]);
            if (r[1] != r[0]) {
                s.append("..").append(r[1]);
            }
        }
        return s.toString();
    }
}
