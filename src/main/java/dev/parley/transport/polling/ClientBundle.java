package dev.parley.transport.polling;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The official {@code socket.io-client} browser bundle, copied from the npm package into the jar
 * at build time and served at {@code <path>socket.io.min.js} (and its source map), with an ETag.
 */
final class ClientBundle {

    private static final String RESOURCE_DIR = "bundle/";

    private final byte[] script;
    private final byte[] map;
    private final String etag;

    private ClientBundle(byte[] script, byte[] map) {
        this.script = script;
        this.map = map;
        this.etag = "\"" + sha256(script).substring(0, 20) + "\"";
    }

    static ClientBundle load() {
        byte[] script = read("socket.io.min.js");
        if (script == null) {
            throw new IllegalStateException("socket.io.min.js is missing from the classpath: build Parley with "
                    + "Maven, which copies it from the socket.io-client npm package");
        }
        return new ClientBundle(script, read("socket.io.min.js.map"));
    }

    /** Serves the bundle if {@code pathInfo} names it; false when it names something else. */
    boolean serve(String pathInfo, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        String type;
        if ("/socket.io.min.js".equals(pathInfo) || "/socket.io.js".equals(pathInfo)) {
            body = script;
            type = "application/javascript; charset=utf-8";
        } else if ("/socket.io.min.js.map".equals(pathInfo) && map != null) {
            body = map;
            type = "application/json; charset=utf-8";
        } else {
            return false;
        }
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", "public, max-age=0");
        if (etag.equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return true;
        }
        resp.setContentType(type);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
        return true;
    }

    private static byte[] read(String name) {
        try (InputStream in = ClientBundle.class.getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
