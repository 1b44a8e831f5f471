package dev.parley.transport.polling;

import dev.parley.engine.Admission;
import dev.parley.engine.EngineError;
import dev.parley.engine.EngineRefusal;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Verdict;
import dev.parley.transport.ServletExchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The Engine.IO long-polling endpoint as an async servlet, mapped at {@code <path>*} beside the
 * WebSocket endpoint: a GET without {@code sid} opens a session, a GET with one waits for packets
 * (suspended with {@link AsyncContext}, no thread parked), a POST delivers packets (its body read
 * with non-blocking I/O by {@link PostBodyReader}, no thread parked either, and answered 408 past
 * {@code http-body-timeout}: a slow client costs a socket, not one of the container's workers).
 * Refusals are the reference server's {@code {"code","message"}} answers; a page from an origin that is not allowed
 * gets 403 before anything else, and a handshake the engine does not admit (authentication,
 * limits) gets the refusal's status (401, 403, 429, 503) before any session exists. It also serves
 * the official client bundle at {@code <path>socket.io.min.js}, as the Node server does.
 */
public class PollingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient EngineServer engine;
    private final transient CorsPolicy cors;
    private final transient ClientBundle bundle;
    private final transient ClientClosedPolls clientClosed;
    private final transient Executor answers;

    /**
     * @param engine      the engine whose sessions this servlet serves
     * @param serveClient whether to serve {@code socket.io.min.js}
     */
    public PollingServlet(EngineServer engine, boolean serveClient) {
        this(engine, serveClient, null);
    }

    /**
     * As {@link #PollingServlet(EngineServer, boolean)}; {@code answers} runs the work decided outside a
     * request's own dispatch (a poll's answer, a POST's packets and answer) instead of the container's
     * {@link AsyncContext#start}, for a server that has a better pool for it than that one (the standalone
     * server: Grizzly's {@code start} hands each task to an unbounded cached pool of its own, a hand-over
     * and often a new thread per poll answered).
     * Its tasks never block on a client, but a POST's packets reach the application's handlers.
     */
    public PollingServlet(EngineServer engine, boolean serveClient, Executor answers) {
        this.answers = answers;
        this.engine = engine;
        this.cors = new CorsPolicy(engine.originPolicy());
        this.bundle = serveClient ? ClientBundle.load() : null;
        this.clientClosed = new ClientClosedPolls(engine);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        DispatchGate gate = DispatchGate.open(req, answers);
        try {
            dispatch(req, resp);
        } finally {
            gate.close(); // answers decided during this dispatch leave for a container thread now
        }
    }

    private void dispatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getHeader("Upgrade") != null) {
            // An upgrade the WebSocket endpoint did not take (wrong path or refused by the container).
            error(resp, EngineError.BAD_REQUEST);
            return;
        }
        if (bundle != null && "GET".equals(req.getMethod()) && bundle.serve(req.getPathInfo(), req, resp)) {
            return;
        }
        if ("OPTIONS".equals(req.getMethod())) {
            if (cors.allows(req)) {
                cors.preflight(req, resp);
            } else {
                refuse(resp, EngineRefusal.originNotAllowed());
            }
            return;
        }
        EngineRequest request = ServletExchange.engineRequest(req);
        Verdict verdict = engine.admit(request, false);
        // Adds nothing for an origin the engine refused (CORS headers name allowed origins only).
        cors.apply(req, resp);
        if (verdict instanceof Verdict.Admitted admitted) {
            handshake(req, request, admitted.admission());
        } else if (verdict instanceof Verdict.Existing existing) {
            serve(req, resp, request, existing.session());
        } else if (!(verdict instanceof Verdict.ProtocolError unknown && unknown.error() == EngineError.UNKNOWN_SID
                && "GET".equals(req.getMethod()) && answerLatePoll(req, request))) {
            // (Not the poll of a client whose own close was read first: ClientClosedPolls answers that.)
            json(resp, verdict.httpStatus(), verdict.json());
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp, EngineRequest request, EngineSession session)
            throws IOException {
        if (!(session.transport() instanceof PollingTransport polling)) {
            error(resp, EngineError.BAD_REQUEST);
            return;
        }
        if ("GET".equals(req.getMethod())) {
            poll(req, resp, request, session, polling);
        } else if ("POST".equals(req.getMethod())) {
            post(req, resp, session, polling);
        } else {
            error(resp, EngineError.BAD_REQUEST);
        }
    }

    private void handshake(HttpServletRequest req, EngineRequest request, Admission admission) {
        PollingTransport polling = new PollingTransport(clientClosed, engine.options().compression());
        polling.poll(req.startAsync(), request.queryParam("t"), pollTimeout());
        polling.bind(engine.handshake(request, polling, admission));
    }

    private void poll(HttpServletRequest req, HttpServletResponse resp, EngineRequest request, EngineSession session,
                      PollingTransport polling) throws IOException {
        if (!polling.poll(req.startAsync(), request.queryParam("t"), pollTimeout())) {
            AsyncContext duplicate = req.getAsyncContext();
            error(resp, EngineError.BAD_REQUEST);
            duplicate.complete();
            session.onTransportError(polling, "overlapping poll from client");
        }
    }

    /**
     * A poll for a session the client closed a moment ago with no poll waiting (it sent this poll
     * and the close at once, and the close was read first): answered with a noop, once, as it would
     * have been had it been read first. See {@link ClientClosedPolls}.
     */
    private boolean answerLatePoll(HttpServletRequest req, EngineRequest request) {
        String sid = request.queryParam("sid");
        PollingTransport closed = clientClosed.take(sid);
        if (closed == null) {
            return false;
        }
        EngineSession session = closed.session();
        if (engine.options().bindSessionToAddress() && request.remoteAddress() != null && session != null
                && !request.remoteAddress().equals(session.request().remoteAddress())) {
            return false; // not the client that closed it: unknown, as any other stranger's sid
        }
        return closed.poll(req.startAsync(), request.queryParam("t"), pollTimeout());
    }

    /**
     * Takes a POST's packets. The body is read without holding a thread ({@link PostBodyReader}):
     * a client sending slowly must not keep the container's few workers from everyone else.
     */
    private void post(HttpServletRequest req, HttpServletResponse resp, EngineSession session,
                      PollingTransport polling) throws IOException {
        int max = engine.options().maxPayload();
        long declared = req.getContentLengthLong();
        if (declared > max) {
            PollingPost.refuseTooLarge(resp);
            session.onTransportError(polling, "payload too large");
            return;
        }
        if (!polling.beginPost()) {
            error(resp, EngineError.BAD_REQUEST);
            session.onTransportError(polling, "overlapping POST from client");
            return;
        }
        try {
            AsyncContext ctx = req.startAsync();
            new PostBodyReader(ctx, req.getInputStream(), max, declared, new PollingPost(session, polling, resp))
                    .start(engine, engine.options().httpBodyTimeoutMillis());
        } catch (IOException | RuntimeException e) {
            polling.endPost();
            throw e;
        }
    }

    private long pollTimeout() {
        return engine.options().pingIntervalMillis() + engine.options().pingTimeoutMillis();
    }

    static void error(HttpServletResponse resp, EngineError error) throws IOException {
        json(resp, error.httpStatus(), error.json());
    }

    static void refuse(HttpServletResponse resp, EngineRefusal refusal) throws IOException {
        json(resp, refusal.httpStatus(), refusal.json());
    }

    static void json(HttpServletResponse resp, int status, String json) throws IOException {
        ServletExchange.answerJson(resp, status, json);
    }
}
