package dev.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/browser/demo-pages.mjs} (the demo chat and dashboard in Debian's Chromium) against a
 * running demo and returns its result line. When the script asks to {@code stop} or {@code start} the server
 * (restart runs only), {@code restarts} does it and the script is told to go on. Fails, saying what to install,
 * when Chromium or the script's {@code node_modules} are missing.
 */
public final class DemoPagesScript {

    /** What the script asks the test to do to the server. */
    public interface Restarts {
        void stop() throws Exception;

        void start() throws Exception;
    }

    private DemoPagesScript() {
    }

    /**
     * @param url         the demo's root ({@code http://127.0.0.1:N} or with the WAR's context root)
     * @param screenshots where the PNGs go
     * @param restarts    how to stop and start the server, or null for a run without the restart
     * @return the script's result line ({@code checks}, {@code screenshots}, {@code dashboard})
     */
    public static JsonObject run(String url, File screenshots, Restarts restarts) throws Exception {
        String chromium = System.getProperty("parley.chromium", "/usr/bin/chromium");
        if (!new File(chromium).canExecute()) {
            throw new AssertionError(chromium + " not found: install Debian's Chromium (apt-get install chromium); "
                    + "`bash .ci/test` does it when run as root");
        }
        File dir = new File(System.getProperty("parley.browserTests", "src/test/browser"));
        if (!new File(dir, "node_modules/playwright-core").isDirectory()) {
            throw new AssertionError(dir + "/node_modules/playwright-core is missing: run `npm ci` there "
                    + "(Maven does it in generate-test-resources)");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getProperty("parley.node", "node"), "demo-pages.mjs"))
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PARLEY_URL", url);
        pb.environment().put("CHROMIUM", chromium);
        pb.environment().put("SCREENSHOTS", screenshots.getAbsolutePath());
        pb.environment().put("RESTART", restarts == null ? "0" : "1");
        Process node = pb.start();
        JsonObject result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                Writer toNode = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println("[demo-pages] " + line);
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonObject o;
                try (JsonReader r = Json.createReader(new StringReader(line))) {
                    o = r.readObject();
                }
                if (o.containsKey("step")) {
                    assertThat(restarts).as("the script asked for a restart it was not given").isNotNull();
                    if (o.getString("step").equals("stop")) {
                        restarts.stop();
                    } else {
                        restarts.start();
                    }
                    toNode.write("done\n");
                    toNode.flush();
                } else {
                    result = o;
                }
            }
        } finally {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
        }
        assertThat(result).as("the script's result line").isNotNull();
        assertThat(result.getBoolean("ok")).as(result.getString("error", "")).isTrue();
        assertThat(node.exitValue()).isZero();
        return result;
    }
}
