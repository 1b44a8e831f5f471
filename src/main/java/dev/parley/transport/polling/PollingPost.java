package dev.parley.transport.polling;

import dev.parley.engine.EngineError;
import dev.parley.engine.EngineSession;
import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * What one polling POST is answered once {@link PostBodyReader} is done with its body, and what
 * becomes of its session: the packets handed to the session in order then {@code ok}; 400 and the
 * session ended with {@code parse error} for a body that is not UTF-8 or does not decode; 413 for a body over
 * max-payload; 408 for a body that did not arrive within {@code http-body-timeout}; nothing for a
 * client that left mid-body. Each path ends the POST in progress ({@link PollingTransport#endPost})
 * before the client can learn the answer, so its next POST is not taken for an overlapping one.
 */
final class PollingPost implements PostBodyReader.Outcome {

    private static final Logger LOG = Logger.getLogger(PollingPost.class.getName());
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    /**
     * The 408 body, in the reference's error shape with its "Bad request" code: a body that never
     * completes is a malformed request, not a policy refusal.
     */
    static final String BODY_TIMEOUT_JSON = "{\"code\":" + EngineError.BAD_REQUEST.code()
            + ",\"message\":\"Request body timeout\"}";

    private final EngineSession session;
    private final PollingTransport polling;
    private final HttpServletResponse response;

    PollingPost(EngineSession session, PollingTransport polling, HttpServletResponse response) {
        this.session = session;
        this.polling = polling;
        this.response = response;
    }

    @Override
    public void body(byte[] body) throws IOException {
        List<EnginePacket> packets;
        try {
            packets = EngineCodec.decodePayload(utf8(body));
        } catch (MalformedPacketException e) {
            polling.endPost();
            PollingServlet.error(response, EngineError.BAD_REQUEST);
            session.onParseError(polling, e.getMessage());
            return;
        }
        try {
            for (EnginePacket packet : packets) {
                session.onPacket(polling, packet);
            }
        } finally {
            polling.endPost();
        }
        response.setContentType("text/html");
        response.setContentLength(OK.length);
        response.getOutputStream().write(OK);
    }

    /**
     * The body as text, refusing bytes that are not UTF-8: decoded leniently they would become
     * U+FFFD and reach the application as something the client never sent (a WebSocket text frame
     * with them is closed with 1007). Real clients always send valid UTF-8 (browsers, Node and the
     * JDK replace a lone surrogate before encoding). The fast decoder runs first; only a body
     * whose text holds U+FFFD (rare: a replacement, or the character sent as such) is checked again
     * strictly.
     */
    static String utf8(byte[] body) throws MalformedPacketException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                throw new MalformedPacketException("invalid UTF-8 in polling payload", e);
            }
        }
        return text;
    }

    @Override
    public void tooLarge() throws IOException {
        polling.endPost();
        refuseTooLarge(response);
        session.onTransportError(polling, "payload too large");
    }

    /**
     * The session ends as well as the request, as the reference server ends a session whose POST
     * breaks off ("data request connection closed prematurely", a transport error): the packets of
     * the lost body are gone, and a session that went on would deliver the client's later messages
     * with a hole before them that neither side can see. Ending it makes the client notice,
     * reconnect and resend what it must.
     */
    @Override
    public void timedOut() throws IOException {
        polling.endPost();
        try {
            response.setHeader("Connection", "close"); // the rest of the body is never read
            PollingServlet.json(response, 408, BODY_TIMEOUT_JSON);
        } finally {
            session.onTransportError(polling, "POST body timeout");
        }
    }

    /** A client that leaves mid-body is no server failure: one line at FINE, no stack trace. */
    @Override
    public void aborted(Throwable cause) {
        polling.endPost();
        LOG.fine(() -> "session " + session.id() + ": POST body broke off: " + cause);
        session.onTransportError(polling, "POST aborted");
    }

    /**
     * 413 without a body, as the reference answers. No {@code Connection: close}: the client is
     * likely still sending, and a connection closed under it would reset before it reads the 413;
     * the container skips the rest of the body (up to its own limit) instead.
     */
    static void refuseTooLarge(HttpServletResponse response) {
        response.setStatus(413);
    }
}
