package dev.parley.server;

import dev.parley.adapter.AckListener;
import dev.parley.protocol.socketio.Args;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The answers to one broadcast with acknowledgement: completes {@link #result()} with every
 * answer (in arrival order) once as many have come as the adapter reported sending, as
 * socket.io's {@code emitWithAck} counts them; fails it when a recipient disconnects unanswered.
 * Answers may arrive before the count, from any thread.
 */
final class AckCollection implements AckListener {

    private final CompletableFuture<List<Args>> result = new CompletableFuture<>();
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Args> answers = new ArrayList<>();
    private int expected = -1;

    CompletableFuture<List<Args>> result() {
        return result;
    }

    @Override
    public void sent(int clientCount) {
        List<Args> all;
        synchronized (lock) {
            expected = clientCount;
            all = completeList();
        }
        complete(all);
    }

    @Override
    public void answered(Args answer) {
        List<Args> all;
        synchronized (lock) {
            answers.add(answer);
            all = completeList();
        }
        complete(all);
    }

    @Override
    public void lost(Exception reason) {
        result.completeExceptionally(reason);
    }

    private List<Args> completeList() {
        // Holds the lock.
        return expected >= 0 && answers.size() >= expected ? List.copyOf(answers) : null;
    }

    private void complete(List<Args> all) {
        // Outside the lock: completing runs the caller's dependent stages.
        if (all != null) {
            result.complete(all);
        }
    }
}
