package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Admin UI's static files (from {@code @socket.io/admin-ui} 0.5.1's {@code ui/dist}, packed at
 * build time) served by a real standalone server at the configured path when on, 404 when off.
 */
class AdminUiServletTest {

    /** HTTP/2 (the default, said here because it matters): on http:// each request asks {@code Upgrade: h2c}. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    private ParleyServer parley;
    private StandaloneServer server;

    private void start(String adminUiPath) throws Exception {
        parley = new ParleyServer(ParleyOptions.defaults());
        server = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(parley.engine(), false, adminUiPath)), true); // the demo pages at / too, as Main
    }

    @AfterEach
    void stop() {
        parley.close();
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void indexAndItsScriptsAreServedAtTheConfiguredPath() throws Exception {
        start("/tools/admin/");
        HttpResponse<String> index = get("/tools/admin/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("<title>Socket.IO Admin UI</title>");
        Matcher script = Pattern.compile("<script src=\"(js/app\\.[0-9a-f]+\\.js)\"").matcher(index.body());
        assertThat(script.find()).as("index.html names its app script").isTrue();
        HttpResponse<String> app = get("/tools/admin/" + script.group(1));
        assertThat(app.statusCode()).as(app.headers().map().toString()).isEqualTo(200);
        // 90 KB, committed while the servlet writes, to a client that sends "Upgrade: h2c" (this HttpClient,
        // HTTP/2 by default): Grizzly left such a response's Content-Type out (UpgradeGate.servedAsPlainHttp)
        assertThat(app.headers().firstValue("Content-Type")).as(app.headers().map().toString())
                .hasValue("text/javascript; charset=utf-8");
        assertThat(app.body()).contains("invalid credentials"); // the UI's own login error handling
        assertThat(get("/tools/admin/index.html").body()).isEqualTo(index.body());
    }

    @Test
    void theBarePathIsRedirectedSoRelativeLinksResolve() throws Exception {
        start("/admin-ui/");
        HttpResponse<String> bare = get("/admin-ui");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/admin-ui/"));
    }

    @Test
    void unknownFilesFoldersAndEscapesAre404() throws Exception {
        start("/admin-ui/");
        assertThat(get("/admin-ui/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/admin-ui/js").statusCode()).isEqualTo(404);
        assertThat(get("/admin-ui/js/").statusCode()).isEqualTo(404);
    }

    @Test
    void nothingIsServedWhenTheAdminUiIsOff() throws Exception {
        start(null);
        assertThat(get("/admin-ui/").statusCode()).isEqualTo(404);
        assertThat(get("/admin-ui/index.html").statusCode()).isEqualTo(404);
    }
}
