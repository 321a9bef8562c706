package org.distree.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A network of machines, each in its own Linux network namespace, for tests that cut and slow
 * the links between real daemons ({@code distree serve} from the shaded jar, one child process
 * per machine, started with {@code ip netns exec}). Needs root and {@code ip} (iproute2);
 * {@link #available()} says whether namespaces can be made here.
 *
 * <pre>
 *            hub namespace: bridge br0 (br1 holds the machines cut off)
 *          ┌────────┬────────┬──── … ─┐
 *   eth0 10.N.0.10  .11      .12      veth pairs: the machines' network
 *     m0 namespace  m1       m2
 *   ctl 10.N.1.2    10.N.2.2 …        a veth pair each to the test's (root) namespace,
 *          │          │               10.N.(i+1).1/30 there: how the test reaches a machine
 *        root namespace (no forwarding between these links: the test only)
 * </pre>
 *
 * <p>Every name is unique to the lab ({@code dt} and 6 hex digits), so labs of parallel runs
 * never meet; {@link #close} kills the daemons and deletes the namespaces (with them every veth),
 * and a shutdown hook does the same if the JVM ends first. The subnet {@code 10.N.0.0/16} is
 * picked at random among those the root namespace has no route into.
 *
 * <p>The kernel of the machine that wrote this has no {@code sch_netem} (and no qdisc but {@code
 * clsact}, no tc action module), so latency and loss are made without netem: loss by a classic
 * BPF program on each veth's egress in direct-action mode that drops a packet when the kernel's
 * random number is below the share ({@link #loss}); latency by {@link DelayProxy}, a TCP proxy
 * in the hub namespace in front of every daemon ({@link #startDelayProxy}).
 */
final class NetLab implements AutoCloseable {
    /** The port every daemon listens on; each namespace has its own ports. */
    static final int PORT = 8080;

    private static final Pattern READY = Pattern.compile("delay proxy ready");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final String id;
    final int subnet;
    final List<Machine> machines = new ArrayList<>();
    private final String hub;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    /** One machine: its namespace, its address on the machines' network, its daemon. */
    final class Machine {
        final int index;
        final String netns;
        final String address;
        final String control;

        @Nullable
        Process daemon;

        @Nullable
        String token;

        private Machine(int index) {
            this.index = index;
            this.netns = id + "-m" + index;
            this.address = "10." + subnet + ".0." + (10 + index);
            this.control = "10." + subnet + "." + (index + 1) + ".2";
        }

        /** The daemon as the test reaches it, over the control link. */
        URI url() {
            return URI.create("http://" + control + ":" + PORT + "/");
        }

        /** The daemon's address on the machines' network, without the delay proxy. */
        String direct() {
            return "http://" + address + ":" + PORT + "/";
        }

        /** Where the delay proxy in the hub takes connections for this machine. */
        String proxied() {
            return "http://10." + subnet + ".0." + (100 + index) + ":" + PORT + "/";
        }
    }

    /** Makes the hub and {@code n} machines, each linked to the hub's bridge and to the test. */
    /**
     * Where a test's daemons write their logs: {@code target/netlab-logs/TEST} of the module,
     * kept after the run (a temporary folder would go with a failure's evidence).
     */
    static Path logsOf(String test) {
        return Path.of("target", "netlab-logs", test).toAbsolutePath();
    }

    NetLab(int n, Path logs) throws IOException, InterruptedException {
        this.id = "dt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
        this.subnet = freeSubnet();
        this.hub = id + "-hub";
        this.logs = logs;
        Files.createDirectories(logs);
        this.hook = new Thread(this::closeQuietly, "netlab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ip("netns", "add", hub);
            ipIn(hub, "link", "set", "lo", "up");
            for (String br : List.of("br0", "br1")) {
                ipIn(hub, "link", "add", br, "type", "bridge");
                ipIn(hub, "link", "set", br, "up");
            }
            for (int i = 0; i < n; i++) {
                Machine m = new Machine(i);
                machines.add(m);
                ip("netns", "add", m.netns);
                ipIn(m.netns, "link", "set", "lo", "up");
                ipIn(
                        hub, "link", "add", "m" + i, "type", "veth", "peer", "name", "eth0",
                        "netns", m.netns);
                ipIn(hub, "link", "set", "m" + i, "master", "br0");
                ipIn(hub, "link", "set", "m" + i, "up");
                ipIn(m.netns, "addr", "add", m.address + "/24", "dev", "eth0");
                ipIn(m.netns, "link", "set", "eth0", "up");
                String rootSide = id + "c" + i;
                ip(
                        "link", "add", rootSide, "type", "veth", "peer", "name", "ctl", "netns",
                        m.netns);
                ip("addr", "add", "10." + subnet + "." + (i + 1) + ".1/30", "dev", rootSide);
                ip("link", "set", rootSide, "up");
                ipIn(m.netns, "addr", "add", m.control + "/30", "dev", "ctl");
                ipIn(m.netns, "link", "set", "ctl", "up");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * Whether network namespaces can be made here (root, iproute2, a kernel that allows it):
     * makes one and deletes it.
     */
    static boolean available() {
        String probe = "dt"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6) + "-probe";
        try {
            ip("netns", "add", probe);
            ip("netns", "del", probe);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts {@code distree serve} in machine {@code m}'s namespace over {@code data}, listening
     * on every address of the namespace at {@link #PORT}, and waits (at most 90 s) until it
     * answers {@code /healthz} over the control link.
     *
     * @param settings flags of {@code serve} without dashes, besides data, bind and port
     */
    void startDaemon(Machine m, Path data, Map<String, String> settings) throws Exception {
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                m.netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                // Times in the logs, to line them up with the test's (PartitionIT's heal).
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-jar",
                ChildDaemon.jar().toString(),
                "serve",
                "--data",
                data.toString(),
                "--bind",
                "0.0.0.0",
                "--port",
                Integer.toString(PORT)));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(logs.resolve("m" + m.index + ".out").toFile())
                .redirectError(logs.resolve("m" + m.index + ".err").toFile())
                .start();
        synchronized (this) {
            processes.add(p);
        }
        m.daemon = p;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the daemon of " + m.netns + " exited with "
                        + p.exitValue() + ": "
                        + Files.readString(logs.resolve("m" + m.index + ".err")));
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(m.url().resolve("/healthz"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    m.token = Files.readString(data.resolve(".distree/token")).strip();
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the daemon of " + m.netns + " did not start in 90 s");
    }

    /**
     * Starts {@link DelayProxy} in the hub namespace: for each machine, connections to {@link
     * Machine#proxied()} reach its daemon with {@code delayMs} added to every chunk in each
     * direction. Waits (at most 30 s) until it listens.
     */
    void startDelayProxy(int delayMs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                hub,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx128m",
                "-cp",
                Path.of("target", "test-classes").toAbsolutePath().toString(),
                DelayProxy.class.getName(),
                Integer.toString(delayMs)));
        for (Machine m : machines) {
            String at = "10." + subnet + ".0." + (100 + m.index);
            ipIn(hub, "addr", "add", at + "/24", "dev", "br0");
            cmd.add(at + ":" + PORT + "=" + m.address + ":" + PORT);
        }
        Path out = logs.resolve("proxy.out");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(logs.resolve("proxy.err").toFile())
                .start();
        synchronized (this) {
            processes.add(p);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher r = READY.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (r.find()) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the delay proxy exited with " + p.exitValue()
                        + ": " + Files.readString(logs.resolve("proxy.err")));
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the delay proxy did not start in 30 s");
    }

    /**
     * Cuts {@code cut} off from the other machines: their hub ends move to the second bridge,
     * so they still reach each other, and nothing passes between the two sides (packets are
     * lost, not refused: a connection across times out).
     */
    void partition(List<Machine> cut) throws IOException, InterruptedException {
        for (Machine m : cut) {
            ipIn(hub, "link", "set", "m" + m.index, "master", "br1");
        }
    }

    /** Puts every machine back on the one bridge. */
    void heal() throws IOException, InterruptedException {
        for (Machine m : machines) {
            ipIn(hub, "link", "set", "m" + m.index, "master", "br0");
        }
    }

    /**
     * Drops {@code percent} of the packets sent each way on every machine's link to the hub (not
     * the control links): a classic BPF filter on the egress of both ends of each veth, which
     * drops a packet when the kernel's random 32-bit number is at most {@code percent}% of the
     * range. Each packet crosses one such filter in each direction of a hop.
     */
    void loss(double percent) throws IOException, InterruptedException {
        long threshold = (long) (percent / 100 * 4294967296.0);
        // ld [SKF_AD_OFF + SKF_AD_RANDOM]; jgt #threshold, pass; ret TC_ACT_SHOT; ret TC_ACT_OK
        String bytecode = "4,32 0 0 4294963256,37 1 0 " + threshold + ",6 0 0 2,6 0 0 0,";
        for (Machine m : machines) {
            for (String[] end :
                    List.of(new String[] {hub, "m" + m.index}, new String[] {m.netns, "eth0"})) {
                ipTc(end[0], "qdisc", "add", "dev", end[1], "clsact");
                ipTc(
                        end[0],
                        "filter",
                        "add",
                        "dev",
                        end[1],
                        "egress",
                        "bpf",
                        "da",
                        "bytecode",
                        bytecode);
            }
        }
    }

    /** Packets the loss filters dropped so far, over every link, from the kernel's counters. */
    long dropped() throws IOException, InterruptedException {
        long n = 0;
        Pattern dropped = Pattern.compile("dropped (\\d+)");
        for (Machine m : machines) {
            for (String[] end :
                    List.of(new String[] {hub, "m" + m.index}, new String[] {m.netns, "eth0"})) {
                String s = run(List.of(
                        "ip", "netns", "exec", end[0], "tc", "-s", "qdisc", "show", "dev", end[1]));
                Matcher x = dropped.matcher(s.substring(Math.max(0, s.indexOf("clsact"))));
                if (x.find()) {
                    n += Long.parseLong(x.group(1));
                }
            }
        }
        return n;
    }

    /** A counter of a daemon's {@code /metrics}, summed over the series whose labels match. */
    static double metric(Machine m, String name, String labels) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(m.url().resolve("/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n", -1)) {
            if (line.startsWith(name + "{") && line.contains(labels)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Stops the daemon with SIGTERM (its graceful shutdown); at most 30 s, then SIGKILL. */
    static void stop(Machine m) throws InterruptedException {
        Process p = m.daemon;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Kills every process this lab started, then deletes its namespaces. */
    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < machines.size(); i++) {
            names.add(id + "-m" + i);
        }
        names.add(hub);
        for (String ns : names) {
            try {
                ip("netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                System.err.println("netlab: could not delete " + ns + ": " + e.getMessage());
            }
        }
    }

    /** A second byte for 10.N.0.0/16 that no route of the root namespace reaches into. */
    private static int freeSubnet() throws IOException, InterruptedException {
        String routes = run(List.of("ip", "-4", "route", "show", "table", "all"));
        for (int attempt = 0; attempt < 100; attempt++) {
            int n = 160 + ThreadLocalRandom.current().nextInt(90);
            if (!routes.contains(" 10." + n + ".")
                    && !routes.contains("\n10." + n + ".")
                    && !routes.startsWith("10." + n + ".")
                    && !routes.contains("10.0.0.0/8")) {
                return n;
            }
        }
        throw new IOException("no free 10.N.0.0/16 subnet among 10.160 to 10.249");
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void ipIn(String netns, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", netns));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void ipTc(String netns, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "tc"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** Runs a command to its end (at most 30 s); its output, or an IOException naming it. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": no end within 30 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.format(
                    Locale.ROOT,
                    "%s: exit %d: %s",
                    String.join(" ", cmd),
                    p.exitValue(),
                    text.strip()));
        }
        return text;
    }
}
