package io.cutover.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.CutoverException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KubeTest {

    private static KubernetesClientException failure(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage("server says " + code).build());
    }

    @Test
    void codes_map_to_kinds_and_messages_name_verb_and_resource() {
        assertThat(Kube.translate("patch", "service shop/myapp", failure(409)).kind()).isEqualTo(CutoverException.Kind.CONFLICT);
        assertThat(Kube.translate("get", "deployment shop/a", failure(429)).kind()).isEqualTo(CutoverException.Kind.TRANSIENT);
        assertThat(Kube.translate("get", "deployment shop/a", failure(504)).kind()).isEqualTo(CutoverException.Kind.TRANSIENT);
        assertThat(Kube.translate("get", "deployment shop/a", failure(404)).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
        CutoverException forbidden = Kube.translate("patch", "httproute shop/myapp", failure(403));
        assertThat(forbidden.kind()).isEqualTo(CutoverException.Kind.PERMANENT);
        assertThat(forbidden.operation()).isEqualTo("patch httproute shop/myapp");
        assertThat(forbidden).hasMessageContaining("is forbidden (403)").hasMessageContaining("'patch' on httproutes")
                .hasMessageContaining("server says 403");
        assertThat(Kube.translate("create", "deployment shop/a", failure(422))).hasMessageContaining("rejected as invalid (422)");
        assertThat(Kube.translate("get", "deployment shop/a", new KubernetesClientException("connection refused")).kind())
                .isEqualTo(CutoverException.Kind.TRANSIENT);
    }

    @Test
    void an_interrupted_call_keeps_the_interrupt_flag() {
        try {
            CutoverException e = Kube.translate("get", "lease shop/x", new KubernetesClientException("waiting", new InterruptedException()));
            assertThat(e.kind()).isEqualTo(CutoverException.Kind.TRANSIENT);
            assertThat(e).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_conflicted_write_is_read_and_applied_again_at_most_three_times() {
        AtomicInteger attempts = new AtomicInteger();
        String result = Kube.reapplyOnConflict(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw Kube.translate("patch", "service shop/myapp", failure(409));
            }
            return "applied";
        });
        assertThat(result).isEqualTo("applied");
        assertThat(attempts).hasValue(3);

        attempts.set(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kube.reapplyOnConflict(() -> {
            attempts.incrementAndGet();
            throw Kube.translate("patch", "service shop/myapp", failure(409));
        })).isInstanceOf(CutoverException.class).extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.CONFLICT);
        assertThat(attempts).hasValue(Kube.CONFLICT_ATTEMPTS);
    }
}
