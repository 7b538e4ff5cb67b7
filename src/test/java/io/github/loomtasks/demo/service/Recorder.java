package io.github.loomtasks.demo.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The tests' listener: a latch per client id for the start, and every outcome. */
final class Recorder implements RequestListener {
    private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private final Map<String, RequestOutcome> byClientId = new ConcurrentHashMap<>();
    private final List<RequestOutcome> all = new ArrayList<>();
    private final AtomicInteger startedCount = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final Object lock = new Object();

    @Override
    public void started(RequestContext request) {
        startedCount.incrementAndGet();
        latch(request.clientId()).countDown();
    }

    @Override
    public void finished(RequestOutcome outcome) {
        synchronized (lock) { // no blocking inside
            all.add(outcome);
        }
        if (!outcome.clientId().isEmpty() && byClientId.putIfAbsent(outcome.clientId(), outcome) != null) {
            duplicates.incrementAndGet(); // a test asserts none: thrown here it would vanish in the server
        }
    }

    /** Counts down when the request with this X-Request-Id has been accepted. */
    CountDownLatch latch(String clientId) {
        return started.computeIfAbsent(clientId, id -> new CountDownLatch(1));
    }

    @Nullable RequestOutcome outcome(String clientId) {
        return byClientId.get(clientId);
    }

    /** {@return how many requests got a second outcome: must be 0} */
    int duplicates() {
        return duplicates.get();
    }

    int startedCount() {
        return startedCount.get();
    }

    List<RequestOutcome> all() {
        synchronized (lock) {
            return List.copyOf(all);
        }
    }
}
