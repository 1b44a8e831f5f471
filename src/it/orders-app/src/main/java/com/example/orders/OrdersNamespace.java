package com.example.orders;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnConnecting;
import dev.parley.jakarta.OnDisconnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.ConnectError;
import dev.parley.server.DisconnectReason;
import dev.parley.server.Socket;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.logging.Logger;

@SocketNamespace("/orders")                  // clients: io("https://host/orders", { path: "/<context>/socket.io/" })
public class OrdersNamespace {

    private static final Logger LOG = Logger.getLogger(OrdersNamespace.class.getName());

    @Inject
    OrderService orders;                     // any CDI bean of the application

    @OnConnecting                            // middleware: throw ConnectError to refuse the client
    public void check(JsonObject auth) throws ConnectError {  // the client's `auth` option, {} if none
        if (auth.getString("token", "").isBlank()) {          // real checks: auth=jwt (see Security)
            throw new ConnectError("not authorized", Map.of("code", 401));
        }
    }

    @OnConnect
    public void joined(Socket socket) {
        socket.join("orders");               // where OrdersResource pushes
    }

    @OnEvent("place")                        // arguments bound by type: Order through JSON-B
    public Receipt place(Socket socket, Order order) {
        Receipt receipt = orders.place(order);
        socket.to("orders").emit("created", receipt);  // everyone else in the room; POJOs go through JSON-B
        return receipt;                      // the return value is the client's ack
    }

    @OnDisconnect
    public void left(Socket socket, DisconnectReason reason) {
        LOG.fine(() -> socket.id() + " left: " + reason);
    }
}
