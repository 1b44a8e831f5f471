package dev.parley.standalone;

import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyServer;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's server side ({@code src/test/node/soak/soak-clients.mjs} is the client side):
 * {@code join} n / {@code leave} n put the socket in or out of room {@code r<n>} and acknowledge;
 * {@code say} {room, id} broadcasts {@code said} {room, id} to room {@code r<room>} and then
 * acknowledges (so the broadcast is done when the sender has the ack); {@code ask} n asks the
 * client back ({@code question} n, with an acknowledgement, 10 s) and acknowledges the ask with
 * the client's answer. Counts the server-side acknowledgements and every disconnect by reason.
 */
final class SoakApp {

    static final Duration QUESTION_TIMEOUT = Duration.ofSeconds(10);

    private final LongAdder questionsAnswered = new LongAdder();
    private final LongAdder questionsUnanswered = new LongAdder();
    private final Map<DisconnectReason, LongAdder> disconnects = new ConcurrentHashMap<>();

    void install(ParleyServer server) {
        server.onConnection(socket -> {
            socket.on("join", (args, ack) -> {
                socket.join("r" + args.getInt(0));
                ack.send(true);
            });
            socket.on("leave", (args, ack) -> {
                socket.leave("r" + args.getInt(0));
                ack.send(true);
            });
            socket.on("say", (args, ack) -> {
                JsonObject said = args.getJsonObject(0);
                server.to("r" + said.getInt("room")).emit("said", said);
                ack.send(true);
            });
            socket.on("ask", (args, ack) -> {
                long n = args.getLong(0);
                socket.emitWithAck(QUESTION_TIMEOUT, "question", n).whenComplete((reply, failure) -> {
                    if (failure != null) {
                        questionsUnanswered.increment();
                    } else {
                        questionsAnswered.increment();
                        ack.send(reply.getLong(0));
                    }
                });
            });
            socket.onDisconnect((reason, description) ->
                    disconnects.computeIfAbsent(reason, r -> new LongAdder()).increment());
        });
    }

    long questionsAnswered() {
        return questionsAnswered.sum();
    }

    /** Questions whose acknowledgement timed out or was lost with the socket. */
    long questionsUnanswered() {
        return questionsUnanswered.sum();
    }

    /** Disconnects so far by reason. */
    Map<DisconnectReason, Long> disconnects() {
        Map<DisconnectReason, Long> out = new TreeMap<>();
        disconnects.forEach((reason, n) -> out.put(reason, n.sum()));
        return out;
    }
}
