package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/browser/admin-ui.mjs} (the official Admin UI served by Parley, in Debian's Chromium)
 * against a running Parley with the Admin UI on and basic auth {@link #USERNAME}/{@link #PASSWORD}
 * ({@link #PASSWORD_HASH}), and asserts its result: logged in, the script's three sockets and its room
 * listed, the disconnect button disconnecting one with {@code io server disconnect} while the others stay
 * connected, and its screenshots written. Fails, saying what to install, when Chromium or the scripts'
 * {@code node_modules} are missing.
 */
public final class AdminUiScript {

    public static final String USERNAME = "admin";
    public static final String PASSWORD = "parley-admin";
    /** bcrypt of {@link #PASSWORD}, made with the reference's library: {@code require("bcryptjs").hashSync(p, 10)}. */
    public static final String PASSWORD_HASH = "$2a$10$tb5xAb7ysuaLW8WCXvzJ.uSSv7HLIzvh6Cp1DAoDfPnaBS8DHncDC";
    static final String ROOM = "admin-ui-room";

    private AdminUiScript() {
    }

    /**
     * @param serverUrl   what is typed as the UI's server URL ({@code http://127.0.0.1:N})
     * @param path        the Socket.IO path ({@code /socket.io}, or {@code /<context>/socket.io} in a WAR)
     * @param uiUrl       the page the UI is served at
     * @param joinEvent   the application's event (with an ack) that puts the sending socket into a room
     * @param screenshots where the PNGs go
     * @return the script's result line
     */
    public static JsonObject run(String serverUrl, String path, String uiUrl, String joinEvent, File screenshots)
            throws Exception {
        String chromium = System.getProperty("parley.chromium", "/usr/bin/chromium");
        if (!new File(chromium).canExecute()) {
            throw new AssertionError(chromium + " not found: install Debian's Chromium (apt-get install chromium)");
        }
        File dir = new File(System.getProperty("parley.browserTests", "src/test/browser"));
        for (File modules : List.of(new File(dir, "node_modules/playwright-core"),
                new File(dir, "../node/node_modules/socket.io-client"))) {
            if (!modules.isDirectory()) {
                throw new AssertionError(modules + " is missing: run `npm ci` in its folder "
                        + "(Maven does it in generate-test-resources)");
            }
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getProperty("parley.node", "node"), "admin-ui.mjs"))
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PARLEY_URL", serverUrl);
        pb.environment().put("PARLEY_PATH", path);
        pb.environment().put("ADMIN_UI_URL", uiUrl);
        pb.environment().put("ADMIN_USERNAME", USERNAME);
        pb.environment().put("ADMIN_PASSWORD", PASSWORD);
        pb.environment().put("JOIN_EVENT", joinEvent);
        pb.environment().put("ROOM", ROOM);
        pb.environment().put("CHROMIUM", chromium);
        pb.environment().put("SCREENSHOTS", screenshots.getAbsolutePath());
        Process node = pb.start();
        JsonObject result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println("[admin-ui] " + line);
                if (line.startsWith("{")) {
                    try (JsonReader r = Json.createReader(new StringReader(line))) {
                        result = r.readObject();
                    }
                }
            }
        } finally {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
        }
        assertThat(result).as("the script's result line").isNotNull();
        assertThat(result.getBoolean("ok")).as(result.getString("error", "")).isTrue();
        assertThat(node.exitValue()).isZero();
        assertThat(result.getJsonArray("checks").getValuesAs(JsonString::getString)).containsExactly(
                "three sockets connected, one in the room", "logged in", "lists the sockets", "lists the room",
                "disconnect button: io server disconnect, others connected");
        List<String> sockets = result.getJsonArray("sockets").getValuesAs(JsonString::getString);
        assertThat(sockets).hasSize(3).doesNotHaveDuplicates();
        assertThat(result.getJsonObject("disconnected").getString("id")).isEqualTo(sockets.get(1));
        assertThat(result.getJsonObject("disconnected").getString("reason")).isEqualTo("io server disconnect");
        assertThat(result.getJsonArray("screenshots").getValuesAs(JsonString::getString))
                .allSatisfy(p -> assertThat(new File(p)).isFile().isNotEmpty()).hasSize(5);
        return result;
    }
}
