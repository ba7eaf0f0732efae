package io.governed.jdbc.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class EventQueueTest {

    /**
     * Producers racing a writer that drains as they go, through many turns of a small ring (capacity 5: 8 slots) and
     * through a linked queue (a capacity above the ring's largest): every item comes out once, each producer's in the
     * order it queued them, and the queue is empty at the end.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, EventQueue.RING_MAX + 1})
    void everyItemComesOutOnceAndEachProducersInOrder(int capacity) throws Exception {
        EventQueue queue = new EventQueue(capacity);
        int producers = 3;
        int perProducer = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        long item = ((long) producer << 32) | i;
                        while (!queue.offer(item)) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        int[] next = new int[producers];
        List<Object> batch = new ArrayList<>();
        int taken = 0;
        while (taken < producers * perProducer) {
            batch.clear();
            queue.drainTo(batch, 7);
            for (Object o : batch) {
                long item = (Long) o;
                int producer = (int) (item >>> 32);
                assertThat((int) item).as("producer %d's next item", producer).isEqualTo(next[producer]);
                next[producer]++;
            }
            taken += batch.size();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(next).containsOnly(perProducer);
        assertThat(queue.size()).isZero();
        assertThat(queue.drainTo(batch, 10)).isZero();
    }

    @Test
    void aFullQueueTakesNothingUntilTheWriterMakesRoom() {
        EventQueue queue = new EventQueue(3);
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isTrue();
        assertThat(queue.offer("d")).isFalse();
        assertThat(queue.remainingCapacity()).isZero();
        List<Object> batch = new ArrayList<>();
        assertThat(queue.drainTo(batch, 2)).isEqualTo(2);
        assertThat(queue.offer("d")).isTrue();
        assertThat(queue.offer("e")).isTrue();
        assertThat(queue.offer("f")).isFalse();
        assertThat(queue.drainTo(batch, 10)).isEqualTo(3);
        assertThat(batch).containsExactly("a", "b", "c", "d", "e");
    }

    /**
     * Queueing an event and the writer taking it allocate nothing (the default capacity's queue is a ring of slots):
     * a submitting thread's queueing was a node per event, 24 bytes or more, before.
     */
    @Test
    void queueingAndTakingAllocateNothingPerEvent() {
        EventQueue queue = new EventQueue(AuditSettings.defaults().queueCapacity());
        List<Object> batch = new ArrayList<>(512);
        Object item = new Object();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int round = 0; round < 3; round++) { // the first rounds run in the interpreter and the compilers
            long before = threads.getThreadAllocatedBytes(id);
            int events = 0;
            for (int i = 0; i < 2_000; i++) {
                for (int j = 0; j < 256; j++) {
                    int now = queue.reserve();
                    queue.publish(item, now);
                    events++;
                }
                batch.clear();
                queue.drainTo(batch, 512);
            }
            double perEvent = (threads.getThreadAllocatedBytes(id) - before) / (double) events;
            if (round == 2) {
                assertThat(perEvent).as("bytes allocated per event queued and taken").isLessThan(1.0);
            }
        }
    }
}
