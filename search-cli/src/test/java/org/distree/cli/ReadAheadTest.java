package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    private static final Progress NONE = Progress.start("test", -1, "B", 1, true);

    private static Entry entry(int i) {
        return Entry.of(String.format(Locale.ROOT, "k%07d", i), "https://example.org/" + i, "", "");
    }

    /** A feed of {@code n} entries that then fails with {@code failure}, when not null. */
    private static TreeBuild.Feed feed(
            int n, @Nullable Exception failure, AtomicReference<Thread> ranOn) {
        return (sink, progress) -> {
            ranOn.set(Thread.currentThread());
            for (int i = 0; i < n; i++) {
                sink.add(entry(i));
            }
            if (failure != null) {
                throw failure;
            }
            return 7;
        };
    }

    @Test
    void entriesReachTheSinkInFeedOrderOnAThreadOfTheirOwn() throws Exception {
        int n = ReadAhead.BATCH * ReadAhead.QUEUE * 3 + 5;
        List<Entry> got = new ArrayList<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        long skipped = ReadAhead.run(feed(n, null, ranOn), got::add, NONE, 2);

        assertThat(skipped).isEqualTo(7);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(entry(i));
        }
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void withOneProcessorTheFeedRunsOnTheCallingThread() throws Exception {
        List<Entry> got = new ArrayList<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        ReadAhead.run(feed(10, null, ranOn), got::add, NONE, 1);

        assertThat(got).hasSize(10);
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aFailureOfTheFeedIsThrownOnceTheEntriesBeforeItAreInTheSink() {
        List<Entry> got = new ArrayList<>();
        UserException bad = UserException.failure("in.tsv: line 5001: no tab");

        assertThatThrownBy(() ->
                        ReadAhead.run(feed(5000, bad, new AtomicReference<>()), got::add, NONE, 2))
                .isSameAs(bad);
        assertThat(got).hasSize(5000);
    }

    @Test
    void aFailureOfTheSinkStopsTheFeed() throws Exception {
        IOException full = new IOException("no space left on device");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        int[] added = {0};
        TreeBuild.Sink sink = e -> {
            if (++added[0] == 3000) {
                throw full;
            }
        };

        assertThatThrownBy(() -> ReadAhead.run(feed(10_000_000, null, ranOn), sink, NONE, 2))
                .isSameAs(full);
        ranOn.get().join(10_000);
        assertThat(ranOn.get().isAlive()).as("the reading thread stopped").isFalse();
        assertThat(added[0]).isEqualTo(3000);
    }
}
