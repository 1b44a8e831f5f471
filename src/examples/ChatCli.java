package com.example.cli;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A terminal chat on the demo server: type a line to send it, /quit (or end of input) to leave. */
public final class ChatCli {

    public static void main(String[] argv) throws Exception {
        URI server = URI.create(argv.length > 0 ? argv[0] : "http://localhost:3000");
        String name = argv.length > 1 ? argv[1] : System.getProperty("user.name");
        try (ParleyClient client = ParleyClient.connect(server, ClientOptions.defaults())) {
            client.onReconnectAttempt(n -> System.out.println("* reconnecting (attempt " + n + ")"));
            // the name goes in the CONNECT's auth: the server knows it before any line, at every reconnection too
            ClientSocket chat = client.socket("/", Map.of("name", name), s -> s
                    .on("chat", (args, reply) -> {
                        JsonObject m = args.getJsonObject(0);
                        System.out.println(m.getString("from") + ": " + m.getString("text"));
                    })
                    .on("system", (args, reply) -> System.out.println("* " + args.getString(0)))
                    .on("users", (args, reply) -> System.out.println("* " + args.getInt(0) + " in #"
                            + args.getString(1)))
                    .onConnect(() -> System.out.println("* connected as " + name))
                    .onDisconnect(reason -> System.out.println("* disconnected: " + reason)));
            chat.connected().get(10, TimeUnit.SECONDS);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("/quit"); ) {
                if (!line.isBlank()) {
                    try {
                        chat.emit("chat", line);        // kept and sent once after a reconnection
                    } catch (IllegalStateException e) {
                        System.out.println("* not sent: " + e.getMessage());
                    }
                }
            }
        }
    }
}
