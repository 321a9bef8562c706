package org.distree.cli;

import java.io.Closeable;
import java.io.Console;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Progress of long work on stderr: a progress bar when stderr is a terminal, otherwise nothing
 * until the summary line (so logs and CI output stay clean). {@code --quiet} turns it off.
 */
final class Progress implements Closeable {
    private final @Nullable ProgressBar bar;

    private Progress(@Nullable ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar named {@code task} over {@code total} units of {@code unitName}. */
    static Progress start(String task, long total, String unitName, long unitSize, boolean quiet) {
        if (quiet || !onTerminal()) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unitName, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar);
    }

    void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    void extraMessage(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * Whether the process runs in a terminal. Up to JDK 21 {@code System.console()} is null
     * otherwise; JDK 22 to 24 return a console even when the streams are redirected and tell
     * through {@code Console.isTerminal()} (JDK 22), called by reflection since the code targets
     * Java 17.
     */
    // The null check is the JDK 17-21 half of the test; isTerminal() below is the JDK 22 half.
    @SuppressWarnings("SystemConsoleNull")
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console is always a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Prints a summary line on stderr unless quiet. */
    static void summary(PrintWriter err, boolean quiet, String line) {
        if (!quiet) {
            err.println(line);
        }
    }
}
