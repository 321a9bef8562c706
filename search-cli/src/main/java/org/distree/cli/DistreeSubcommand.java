package org.distree.cli;

/**
 * A subcommand that another module adds to the {@code distree} command, found through {@link
 * java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/org.distree.cli.DistreeSubcommand}. The class carries picocli's
 * {@code @Command} annotation and has a public no-argument constructor.
 */
public interface DistreeSubcommand {}
