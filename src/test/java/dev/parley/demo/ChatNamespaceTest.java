package dev.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.jakarta.AnnotatedNamespace;
import dev.parley.jakarta.NamespaceInstances;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LocalNodes;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo chat's rooms with Parley's Java client on a real standalone server: what a socket hears is about its
 * own room only (joins, leaves, counts, presence, messages), and a socket moving rooms gets the new room's history,
 * members and count while both rooms hear of the move. Each absence is asserted after a later event of the same
 * socket arrived that the server sent after the one that must not reach it. Each test uses rooms of its own.
 */
class ChatNamespaceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ParleyServer parley;
    private static LocalNodes local;
    private static LocalNodes.Node server;
    private final List<ParleyClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.defaults());
        AnnotatedNamespace.of(ChatNamespace.class).register(parley, NamespaceInstances.constructed(ChatNamespace.class));
        local = LocalNodes.withoutRedis();
        server = local.serve(parley);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        local.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ParleyClient::close);
    }

    /** A named socket in {@code room} (both in the CONNECT's auth, as the page does) and what it hears, in order. */
    private record Member(ParleyClient client, ClientSocket socket, List<String> heard) {
        boolean heardLine(String line) {
            return heard.contains(line);
        }
    }

    private Member connect(String name, String room) throws Exception {
        ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + server.port()),
                ClientOptions.defaults().reconnection(false));
        clients.add(client);
        List<String> heard = new CopyOnWriteArrayList<>();
        ClientSocket socket = client.socket("/", Map.of("name", name, "room", room), s -> s.onAny((event, args) ->
                heard.add(event + " " + IntStream.range(0, args.size()).mapToObj(i -> args.getJson(i).toString())
                        .collect(Collectors.joining(" ")))));
        socket.connected().get(10, TimeUnit.SECONDS);
        return new Member(client, socket, heard);
    }

    private static void say(Member m, String text) throws Exception {
        m.socket().emitWithAck("chat", text).get(10, TimeUnit.SECONDS);
    }

    @Test
    void joinsLeavesCountsAndMessagesStayInTheirRoom() throws Exception {
        Member alice = connect("alice", "t1-lobby");
        Member bob = connect("bob", "t1-random");
        await().atMost(WAIT).until(() -> alice.heardLine("users 1 \"t1-lobby\""));
        await().atMost(WAIT).until(() -> bob.heardLine("users 1 \"t1-random\""));

        Member carol = connect("carol", "t1-lobby");
        await().atMost(WAIT).until(() -> alice.heardLine("system \"carol joined\"")
                && alice.heardLine("users 2 \"t1-lobby\"")
                && alice.heardLine("presence {\"room\":\"t1-lobby\",\"members\":[\"alice\",\"carol\"]}"));
        say(bob, "only in random");
        await().atMost(WAIT).until(() -> bob.heard().stream().anyMatch(l -> l.contains("only in random")));
        say(carol, "only in the lobby");
        await().atMost(WAIT).until(() -> alice.heard().stream().anyMatch(l -> l.contains("only in the lobby")));

        carol.client().close();
        await().atMost(WAIT).until(() -> alice.heardLine("system \"carol left\"")
                && alice.heard().get(alice.heard().size() - 1).equals("users 1 \"t1-lobby\""));
        say(bob, "random again");
        await().atMost(WAIT).until(() -> bob.heard().stream().anyMatch(l -> l.contains("random again")));
        say(alice, "lobby again");
        await().atMost(WAIT).until(() -> alice.heard().stream().anyMatch(l -> l.contains("lobby again")));
        say(bob, "random last");
        await().atMost(WAIT).until(() -> bob.heard().stream().anyMatch(l -> l.contains("random last")));

        assertThat(alice.heard()).as("alice, in the lobby").noneMatch(l -> l.contains("bob") || l.contains("random"));
        assertThat(bob.heard()).as("bob, in random")
                .noneMatch(l -> l.contains("alice") || l.contains("carol") || l.contains("lobby"));
    }

    @Test
    void aSocketMovingRoomsGetsTheNewRoomsHistoryMembersAndCount() throws Exception {
        Member alice = connect("alice", "t2-a");
        Member carol = connect("carol", "t2-a");
        Member bob = connect("bob", "t2-b");
        say(bob, "kept in b");

        JsonObject reply = alice.socket().emitWithAck("room", "t2-b").get(10, TimeUnit.SECONDS).getJsonObject(0);
        assertThat(reply.getString("room")).isEqualTo("t2-b");
        assertThat(reply.getJsonArray("history").getValuesAs(JsonObject.class))
                .extracting(m -> m.getString("from") + ": " + m.getString("text")).containsExactly("bob: kept in b");
        assertThat(reply.getJsonArray("members").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(reply.getInt("users")).isEqualTo(2);

        await().atMost(WAIT).until(() -> bob.heardLine("system \"alice entered t2-b\"")
                && bob.heardLine("users 2 \"t2-b\""));
        await().atMost(WAIT).until(() -> carol.heardLine("system \"alice left t2-a\"")
                && carol.heardLine("users 1 \"t2-a\"")
                && carol.heardLine("presence {\"room\":\"t2-a\",\"members\":[\"carol\"]}"));
        say(alice, "now in b");
        await().atMost(WAIT).until(() -> bob.heard().stream().anyMatch(l -> l.contains("now in b")));
        say(carol, "still in a");
        await().atMost(WAIT).until(() -> carol.heard().stream().anyMatch(l -> l.contains("still in a")));
        assertThat(carol.heard()).as("carol, left in t2-a").noneMatch(l -> l.contains("now in b"));
    }
}
