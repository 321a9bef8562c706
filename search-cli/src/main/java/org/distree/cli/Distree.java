package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import org.distree.archive.ArchiveException;
import org.distree.html.NodeFormatException;
import org.distree.input.InputException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code distree} command. Exit codes: 0 success, 1 failure (including lint findings), 2
 * usage error. A user error prints one line on stderr, never a stack trace; set {@code
 * DISTREE_DEBUG=1} to see one.
 *
 * <p>This command's model and {@code search}'s are built with picocli's programmatic API, the
 * other commands' from their annotations: a search reads no annotation (issue 15: on Java 17
 * the first one read cost about 13 ms, each annotation type a proxy class).
 */
public final class Distree implements Runnable {
    /**
     * Every subcommand, in the order help lists them: the one list of commands (the launcher's
     * list of commands with a class data sharing archive is checked against it by a test).
     */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            BuildCommand.class,
            IndexSiteCommand.class,
            IndexWarcCommand.class,
            ExportCommand.class,
            AddCommand.class,
            DeleteCommand.class,
            SearchCommand.class,
            CdxCommand.class,
            LintCommand.class,
            StatsCommand.class,
            ServeCommand.class,
            MaintainCommand.class,
            SimulateCommand.class,
            PlotCommand.class,
            CommandLine.HelpCommand.class);

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private final CommandSpec spec =
            CommandSpec.wrapWithoutInspection(this).name("distree").versionProvider(new Version());

    private Distree() {
        spec.usageMessage()
                .description(
                        "Build, check and search distrees: B-trees whose nodes are HTML files.");
        addStandardHelpOptions(spec);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        // HttpClient logs through SLF4J; with no provider bound, SLF4J would warn on stderr.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // No command opens a window: plot draws its charts into images, with or without a
        // display (with DISPLAY set to a server that cannot be reached, AWT would fail).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // The platform charset, as before: on Java 17 it is what System.out itself writes in.
        Charset charset = Charset.defaultCharset();
        System.exit(execute(
                args,
                new PrintWriter(System.out, true, charset),
                new PrintWriter(System.err, true, charset)));
    }

    /** Runs the command line and returns the exit code; output goes to the writers given. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(args), args, out, err);
    }

    /** Runs {@code args} on the command line {@code cli} (a test gives the full one). */
    static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for {@code args}: when they start with the name of a subcommand, with
     * that subcommand only (picocli builds a command's model by reflection, and building all of
     * them took 30 ms of every run); otherwise (no command, an option first, {@code help}, a
     * name it does not know) with every subcommand, so help lists them all and a mistyped name
     * gets suggestions.
     */
    static CommandLine commandLine(String @Nullable [] args) {
        String named = args != null
                        && args.length > 0
                        && !args[0].startsWith("-")
                        && !args[0].equals("help")
                ? args[0]
                : null;
        boolean known = named != null && COMMANDS.stream().anyMatch(c -> hasName(c, named));
        CommandLine cli = new CommandLine(new Distree().spec);
        for (Class<?> c : COMMANDS) {
            if (!known || hasName(c, named)) {
                cli.addSubcommand(c == SearchCommand.class ? SearchCommand.model() : c);
            }
        }
        cli.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        cli.setExecutionExceptionHandler(Distree::handle);
        cli.setParameterExceptionHandler((ex, given) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("distree: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            return EXIT_USAGE;
        });
        return cli;
    }

    /**
     * {@code -h, --help} and {@code -V, --version}, last among {@code spec}'s options: what
     * picocli's {@code mixinStandardHelpOptions} adds, without its annotated mixin. A command
     * without a version provider prints nothing for {@code --version}, as with the mixin.
     */
    static void addStandardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.")
                .build());
    }

    /** True when {@code name} is the name or an alias of the command class {@code c}. */
    private static boolean hasName(Class<?> c, @Nullable String name) {
        if (c == SearchCommand.class || SearchCommand.NAME.equals(name)) {
            // search has no annotations to read; no other command has its name (picocli refuses
            // two subcommands of one name, and the full command line has them all).
            return c == SearchCommand.class && SearchCommand.NAME.equals(name);
        }
        Command command = c.getAnnotation(Command.class);
        return command != null
                && name != null
                && (command.name().equals(name) || List.of(command.aliases()).contains(name));
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (System.getenv("DISTREE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof UserException u) {
            err.println("distree: " + u.getMessage());
            return u.exitCode();
        }
        if (t instanceof InputException
                || t instanceof NodeFormatException
                || t instanceof ArchiveException) {
            err.println("distree: " + t.getMessage());
            return EXIT_FAILURE;
        }
        if (t instanceof java.nio.file.NoSuchFileException n) {
            err.println("distree: no such file: " + n.getMessage());
            return EXIT_FAILURE;
        }
        if (t instanceof java.nio.file.AccessDeniedException a) {
            err.println("distree: permission denied: " + a.getMessage());
            return EXIT_FAILURE;
        }
        if (t instanceof IOException) {
            err.println("distree: " + t.getMessage());
            return EXIT_FAILURE;
        }
        if (t instanceof IllegalArgumentException) {
            err.println("distree: " + t.getMessage());
            return EXIT_USAGE;
        }
        err.println("distree: internal error: " + t
                + " (set DISTREE_DEBUG=1 for details, and please report it)");
        return EXIT_FAILURE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Distree.class.getPackage().getImplementationVersion();
            return new String[] {"distree " + (v == null ? "(development build)" : v)};
        }
    }
}
