package io.github.loomtasks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void anUnknownSignalIsUnavailableWithTheReason() {
        Signals.Installation in = Signals.install("NOSUCHSIGNAL", () -> { });
        assertThat(in.status()).isEqualTo(Signals.Status.UNAVAILABLE);
        assertThat(in.detail()).contains("NOSUCHSIGNAL");
        in.restore(); // nothing to restore, and no error
    }

    /** SIGHUP, not SIGINT: the test JVM's own Ctrl-C handling stays as it is. */
    @Test
    void aRealSignalReachesTheHandlerAndTheOldHandlerComesBack() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        Signals.Installation in = Signals.install("HUP", handled::countDown);
        try {
            assumeTrue(in.status() == Signals.Status.INSTALLED, "SIGHUP is not handled here: " + in.detail());
            Process kill = new ProcessBuilder("kill", "-s", "HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(handled.await(30, TimeUnit.SECONDS)).as("handler ran").isTrue();
        } finally {
            in.restore();
        }
        Signals.Installation again = Signals.install("HUP", () -> { });
        again.restore();
        assertThat(again.status()).isEqualTo(Signals.Status.INSTALLED);
    }
}
