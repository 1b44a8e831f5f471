package dev.parley.server;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A family of dynamic namespaces, as {@code io.of(/regex/)} in Socket.IO: a client connecting to a
 * name this matcher accepts creates that namespace, which runs this family's middleware and
 * connection handlers (then its own). Emitting here reaches every child namespace.
 */
public final class ParentNamespace {

    private final BiPredicate<String, JsonObject> matcher;
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Set<Namespace> children = ConcurrentHashMap.newKeySet();

    ParentNamespace(BiPredicate<String, JsonObject> matcher) {
        this.matcher = matcher;
    }

    public ParentNamespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    public ParentNamespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /** Emits to every socket of every child namespace. */
    public ParentNamespace emit(String event, Object... args) {
        for (Namespace child : children) {
            child.emit(event, args);
        }
        return this;
    }

    /** The namespaces created so far from this family. */
    public Set<Namespace> children() {
        return Collections.unmodifiableSet(children);
    }

    boolean matches(String name, JsonObject auth) {
        return matcher.test(name, auth);
    }

    void adopt(Namespace child) {
        children.add(child);
    }

    List<Middleware> middlewaresThen(List<Middleware> own) {
        List<Middleware> all = new ArrayList<>(middlewares);
        all.addAll(own);
        return all;
    }

    List<Consumer<Socket>> connectionHandlersThen(List<Consumer<Socket>> own) {
        List<Consumer<Socket>> all = new ArrayList<>(connectionHandlers);
        all.addAll(own);
        return all;
    }
}
