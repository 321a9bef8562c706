package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class TaskPoolTest {
    @Test
    void resultsComeInTheTasksOrderWhateverOrderTheyFinishIn() throws Exception {
        try (TaskPool pool = new TaskPool(4)) {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                // The first tasks take longest, so they finish last.
                tasks.add(() -> {
                    long until = System.nanoTime() + (20 - n) * 200_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return Thread.currentThread().getName() + ":" + n;
                });
            }
            List<String> out = pool.all(tasks);
            assertThat(out).hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(out.get(i)).startsWith("sim-").endsWith(":" + i);
            }
        }
    }

    @Test
    void whatATaskThrowsIsThrownOnAsItIsOrAsAnIoException() throws Exception {
        try (TaskPool pool = new TaskPool(2)) {
            IOException io = new IOException("a tree cannot be read");
            assertThatThrownBy(() -> pool.all(List.<Callable<Object>>of(() -> {
                        throw io;
                    })))
                    .isSameAs(io);
            IllegalStateException bug = new IllegalStateException("a bug");
            assertThatThrownBy(() -> pool.all(List.<Callable<Object>>of(() -> {
                        throw bug;
                    })))
                    .isSameAs(bug);
            assertThatThrownBy(() -> pool.all(List.<Callable<Object>>of(() -> {
                        throw new Exception("checked");
                    })))
                    .isInstanceOf(IOException.class)
                    .hasRootCauseMessage("checked");
            assertThatThrownBy(() -> TaskPool.call(() -> {
                        throw new Exception("checked too");
                    }))
                    .isInstanceOf(IOException.class)
                    .hasRootCauseMessage("checked too");
            assertThat(TaskPool.call(() -> "done")).isEqualTo("done");
        }
    }
}
