package org.distree.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the distree command in-process and captures what it prints. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Distree.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
