package io.github.loomtasks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.loomtasks.testing.Bodies;
import io.github.loomtasks.testing.RecordingThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StackReader} with a read function of the test's own: some threads' stacks never come
 * until the test releases them, which is what {@link Thread#getStackTrace()} does for a virtual
 * thread that waits for a carrier on JDK builds that cannot read it. Without the reader, each of
 * these tests would hang in its first read of such a thread.
 */
class StackReaderTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<Thread> unreadable = ConcurrentHashMap.newKeySet();
    private final Map<Thread, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final RecordingThreadFactory readers = new RecordingThreadFactory(
            Thread.ofPlatform().daemon().uncaughtExceptionHandler((t, e) -> uncaught.add(e)).factory());
    private final StackReader reader = new StackReader(this::read, StackReader.PATIENCE, Duration.ofMillis(50), readers);

    private StackTraceElement[] read(Thread thread) {
        reads.computeIfAbsent(thread, t -> new AtomicInteger()).incrementAndGet();
        if (unreadable.contains(thread)) {
            Bodies.awaitUninterruptibly(release);
        }
        if (thread.getName().startsWith("throws")) {
            throw new IllegalStateException("a JDK bug");
        }
        return new StackTraceElement[] {
            new StackTraceElement("java.lang.Thread", "sleep", "Thread.java", 1),
            new StackTraceElement("com.example.Worker", thread.getName(), "Worker.java", 2),
            new StackTraceElement("java.lang.VirtualThread", "run", "VirtualThread.java", 3),
        };
    }

    private static Thread thread(String name) {
        return Thread.ofVirtual().name(name).unstarted(() -> {});
    }

    private Thread unreadable(String name) {
        Thread t = thread(name);
        unreadable.add(t);
        return t;
    }

    private static String where(StackTraceElement[] stack) {
        String unavailable = StackReader.unavailable(stack);
        return unavailable != null ? unavailable : stack[StackFrames.firstUserFrame(stack)].getMethodName();
    }

    private List<String> dump(List<Thread> threads) {
        return assertTimeoutPreemptively(LIMIT, () -> reader.prefetching(threads, () -> {
            List<String> where = new ArrayList<>();
            for (Thread t : threads) {
                where.add(where(reader.forDump(t)));
            }
            return where;
        }));
    }

    @AfterEach
    void everyReaderEnds() {
        release.countDown();
        await().atMost(LIMIT).until(() -> readers.alive() == 0);
    }

    @Test
    void aStackThatDoesNotComeIsGivenUpAndTheRestIsRead() {
        List<String> where = dump(List.of(thread("a"), unreadable("stuck"), thread("b")));

        assertThat(where.get(0)).isEqualTo("a");
        assertThat(where.get(1)).startsWith("(location unavailable: its stack could not be read within 500 ms");
        assertThat(where.get(2)).isEqualTo("b");
        assertThat(readers.made()).as("the stuck reader, and the one that went on").isEqualTo(2);
    }

    @Test
    void aThreadThatARetiredReaderIsStillReadingIsNotReadAgain() {
        Thread stuck = unreadable("stuck");
        assertThat(where(assertTimeoutPreemptively(LIMIT, () -> reader.forDump(stuck)))).startsWith("(location unavailable");
        assertThat(where(assertTimeoutPreemptively(LIMIT, () -> reader.stackOf(stuck)))).startsWith("(location unavailable");
        assertThat(reads.get(stuck)).hasValue(1);

        release.countDown();
        await().atMost(LIMIT).untilAsserted(() -> assertThat(where(reader.forDump(stuck))).isEqualTo("stuck"));
    }

    @Test
    void atMostThreeReadersWaitAtATimeAndThenNothingIsRead() {
        List<Thread> threads = List.of(unreadable("s1"), unreadable("s2"), unreadable("s3"), unreadable("s4"),
                thread("readable"));
        List<String> where = dump(threads);

        assertThat(where.subList(0, StackReader.MAX_STUCK)).allSatisfy(w -> assertThat(w)
                .startsWith("(location unavailable: its stack could not be read"));
        assertThat(where.subList(StackReader.MAX_STUCK, threads.size())).allSatisfy(w -> assertThat(w)
                .isEqualTo("(location unavailable: not read, 3 earlier stack reads are still waiting for their threads)"));
        assertThat(reads.get(threads.get(3))).as("not read").isNull();

        release.countDown(); // the retired readers' reads return, and they end
        await().atMost(LIMIT).untilAsserted(() -> assertThat(where(reader.forDump(threads.get(4)))).isEqualTo("readable"));
    }

    @Test
    void theCallersOwnStackIsReadOnItsOwnThread() {
        assertThat(where(reader.forDump(Thread.currentThread()))).isEqualTo(Thread.currentThread().getName());
        assertThat(reader.prefetching(List.of(Thread.currentThread()), () -> "built")).isEqualTo("built");
        assertThat(readers.made()).isZero();
    }

    @Test
    void aDumpKeepsTwoFramesAndAReportTheWholeStack() {
        Thread t = thread("t");
        assertThat(reader.forDump(t)).extracting(StackTraceElement::getMethodName).containsExactly("sleep", "t");
        assertThat(reader.stackOf(t)).extracting(StackTraceElement::getMethodName).containsExactly("sleep", "t", "run");
    }

    @Test
    void aWaitingCallerThatIsInterruptedStillWaitsAndKeepsItsInterrupt() {
        List<Thread> threads = List.of(unreadable("stuck"), thread("a"));
        List<Object> seen = assertTimeoutPreemptively(LIMIT, () -> {
            Thread.currentThread().interrupt();
            List<String> where = reader.prefetching(threads, () -> List.of(where(reader.forDump(threads.get(0))),
                    where(reader.forDump(threads.get(1)))));
            return List.of(where.get(0), where.get(1), Thread.interrupted());
        });
        assertThat(seen.get(0)).asString().startsWith("(location unavailable");
        assertThat(seen).element(1).isEqualTo("a");
        assertThat(seen).element(2).as("still interrupted").isEqualTo(true);
    }

    @Test
    void aReadThatThrowsIsReportedAndTheReaderIsReplaced() {
        List<String> where = dump(List.of(thread("a"), thread("throws"), thread("b")));

        assertThat(where.get(0)).isEqualTo("a");
        assertThat(where.get(1)).startsWith("(location unavailable");
        assertThat(where.get(2)).isEqualTo("b");
        // the failed reader reports its exception as it ends, which may be after the dump returned
        await().atMost(LIMIT).untilAsserted(
                () -> assertThat(uncaught).singleElement().isInstanceOf(IllegalStateException.class));
    }

    @Test
    void anIdleReaderEndsAndTheNextReadStartsAnother() {
        assertThat(where(reader.forDump(thread("first")))).isEqualTo("first");
        await().atMost(LIMIT).until(() -> readers.alive() == 0);
        assertThat(where(reader.forDump(thread("second")))).isEqualTo("second");
        assertThat(readers.made()).isEqualTo(2);
    }
}
