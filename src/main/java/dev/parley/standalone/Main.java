package dev.parley.standalone;

import dev.parley.admin.AdminUi;
import dev.parley.demo.ChatNamespace;
import dev.parley.demo.DashboardNamespace;
import dev.parley.engine.EngineServer;
import dev.parley.jakarta.AnnotatedNamespace;
import dev.parley.jakarta.NamespaceInstances;
import dev.parley.server.AdminUiOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.settings.StartLine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code java -jar parley-standalone.jar}: the demo chat by default, or with {@code --conformance}
 * the fixture the public Engine.IO v4 / Socket.IO v5 test suites expect. Runs until stopped: on SIGTERM
 * it shuts down gracefully ({@link ParleyServer#close()}) and exits with 143.
 */
public final class Main {

    static {
        // Before anything touches java.util.logging (the fields below do): the manager that lets the lifecycle
        // "Parley stopped" line out on SIGTERM. An operator's own -Djava.util.logging.manager wins.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
        }
    }

    /** The library's defaults, with metrics on: the standalone server serves them unless told not to. */
    static final ParleyOptions STANDALONE_DEFAULTS = ParleyOptions.defaults().toBuilder().metrics(true).build();

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli;
        try {
            cli = new CommandLine(args);
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (cli.has("--help")) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        HeapFreeRatios.applyUnlessChosen();
        List<StandaloneServer.Mount> mounts = new ArrayList<>();
        List<AutoCloseable> apps = new ArrayList<>();
        boolean conformance = cli.has("--conformance");
        ParleyServer parley;
        try {
            if (conformance) {
                ParleyOptions options = cli.options(ConformanceApp.defaults());
                EngineServer echo = ConformanceApp.echoEngine(options.engine().toBuilder().path("/engine.io/").build());
                parley = ConformanceApp.socketIo(options);
                mounts.add(new StandaloneServer.Mount(echo, false));
                apps.add(echo::close);
            } else if (cli.has("--bench")) {
                parley = new ParleyServer(cli.options(STANDALONE_DEFAULTS));
                BenchApp.install(parley);
            } else {
                parley = new ParleyServer(cli.options(STANDALONE_DEFAULTS));
                AnnotatedNamespace.of(ChatNamespace.class).register(parley,
                        NamespaceInstances.constructed(ChatNamespace.class));
                AnnotatedNamespace.of(DashboardNamespace.class).register(parley,
                        NamespaceInstances.constructed(DashboardNamespace.class));
            }
            AdminUiOptions admin = parley.options().adminUi();
            if (admin.enabled()) {
                apps.add(AdminUi.install(parley));
            }
            mounts.add(new StandaloneServer.Mount(parley.engine(), parley.options().serveClient(),
                    admin.enabled() ? admin.uiPath() : null));
            apps.add(parley::close);
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }

        List<StandaloneServer.Page> pages = new ArrayList<>();
        try {
            pages.addAll(MetricsPage.of(parley));
        } catch (IllegalStateException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<StandaloneServer.Page> metricsPages = List.copyOf(pages);
        pages.addAll(HealthPage.of(parley));
        StandaloneServer server = StandaloneServer.start(cli.host(), cli.port(), mounts,
                !conformance && !cli.has("--bench"), pages);
        CountDownLatch stopped = new CountDownLatch(1);
        long grace = parley.options().engine().shutdownGraceMillis();
        // SIGTERM (or Ctrl-C): the hook stops Parley gracefully (clients get what is buffered for them
        // within shutdown-grace, then a close they reconnect from), then the HTTP/WebSocket server. The
        // JVM then exits with 143 (128 + SIGTERM), as any JVM stopped by that signal: halting with 0 here
        // would skip the other hooks. The JDK's own hook resets JUL (closing its handlers): ShutdownLogManager
        // holds that reset until this hook is done, so ParleyServer's "Parley stopped" line is written.
        Runnable releaseLogging = ShutdownLogManager.holdResetsDuringShutdown(grace + 30_000);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                long start = System.nanoTime();
                System.out.println("Parley shutting down (grace " + grace + " ms)");
                for (AutoCloseable app : apps) {
                    try {
                        app.close();
                    } catch (Exception ignored) {
                        // shutting down anyway
                    }
                }
                server.close();
                System.out.println("Parley shut down in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                System.out.flush();
            } finally {
                releaseLogging.run();
                stopped.countDown();
            }
        }, "parley-shutdown"));
        System.out.println("Parley " + (conformance ? "conformance fixture" : cli.has("--bench") ? "benchmark server" : "demo") + " listening on http://"
                + cli.host() + ":" + server.port() + "/ (Engine.IO at " + parley.options().engine().path() + ")");
        LOG.info(StartLine.of("http://" + cli.host() + ":" + server.port() + "/", parley, cli.given()));
        if (!metricsPages.isEmpty()) {
            System.out.println("Parley metrics at http://" + cli.host() + ":" + server.port()
                    + parley.options().metricsPath());
        }
        stopped.await();
    }
}
