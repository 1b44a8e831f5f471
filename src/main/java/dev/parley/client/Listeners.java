package dev.parley.client;

import dev.parley.protocol.socketio.Args;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners of one {@link ClientSocket}: per event (each possibly once), catch-all incoming and catch-all
 * outgoing, with the removal rules of socket.io-client's {@code Socket} (an {@code off} of a listener also removes
 * it when registered with {@code once}). Thread-safe; {@link #dispatch} and {@link #outgoing} are called on the
 * callback executor, so they see the registrations as they are when the event's turn comes.
 */
final class Listeners {

    private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

    /** One registration; a once-entry runs at most one time even if two events race for it. */
    private record Entry(ClientSocket.Listener listener, boolean once) {
    }

    private final Map<String, List<Entry>> byEvent = new ConcurrentHashMap<>();
    private final List<ClientSocket.AnyListener> any = new CopyOnWriteArrayList<>();
    private final List<ClientSocket.AnyListener> anyOutgoing = new CopyOnWriteArrayList<>();

    void add(String event, ClientSocket.Listener listener, boolean once) {
        byEvent.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(new Entry(listener, once));
    }

    /** Removes the first registration of {@code listener} for {@code event}, as Node's EventEmitter does. */
    void remove(String event, ClientSocket.Listener listener) {
        List<Entry> entries = byEvent.get(event);
        if (entries != null) {
            for (Entry e : entries) {
                if (e.listener() == listener && entries.remove(e)) {
                    return;
                }
            }
        }
    }

    void removeAll(String event) {
        byEvent.remove(event);
    }

    void removeAll() {
        byEvent.clear();
    }

    void addAny(ClientSocket.AnyListener listener, boolean first) {
        if (first) {
            any.add(0, listener);
        } else {
            any.add(listener);
        }
    }

    /** Null: all of them. */
    void removeAny(ClientSocket.AnyListener listener) {
        if (listener == null) {
            any.clear();
        } else {
            any.remove(listener);
        }
    }

    void addAnyOutgoing(ClientSocket.AnyListener listener, boolean first) {
        if (first) {
            anyOutgoing.add(0, listener);
        } else {
            anyOutgoing.add(listener);
        }
    }

    /** Null: all of them. */
    void removeAnyOutgoing(ClientSocket.AnyListener listener) {
        if (listener == null) {
            anyOutgoing.clear();
        } else {
            anyOutgoing.remove(listener);
        }
    }

    boolean hasOutgoing() {
        return !anyOutgoing.isEmpty();
    }

    /** An incoming event: the catch-all listeners first, then the event's own, as socket.io-client's emitEvent. */
    void dispatch(String event, Args args, Consumer<Object[]> reply) {
        for (ClientSocket.AnyListener l : any) {
            try {
                l.handle(event, args);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "catch-all listener failed on '" + event + "'", e);
            }
        }
        List<Entry> entries = byEvent.get(event);
        if (entries == null) {
            return;
        }
        for (Entry e : entries) {
            if (e.once() && !entries.remove(e)) {
                continue; // removed meanwhile (off, or it ran already)
            }
            try {
                e.listener().handle(args, reply);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "listener for '" + event + "' failed", ex);
            }
        }
    }

    /** An event as it is written to the connection. */
    void outgoing(String event, Args args) {
        for (ClientSocket.AnyListener l : anyOutgoing) {
            try {
                l.handle(event, args);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "outgoing catch-all listener failed on '" + event + "'", e);
            }
        }
    }
}
