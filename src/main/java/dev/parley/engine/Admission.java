package dev.parley.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A new connection's pass, in the {@link Verdict.Admitted} verdict of
 * {@link EngineServer#admit(EngineRequest, boolean)}: it holds a connection slot and what the
 * {@link HandshakeGuard} attached. It is spent by {@link EngineServer#handshake(EngineRequest,
 * Transport, Admission)}; a transport that cannot go on to the handshake must {@link #release} it.
 */
public final class Admission {

    private final ConnectionLimiter limiter;
    private final String address;
    private final Object attachment;
    /** Set once by {@link #release} ({@link #RELEASED}); not an AtomicBoolean: 16 bytes less per connection. */
    private volatile boolean released;

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(Admission.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Admission(ConnectionLimiter limiter, String address, Object attachment) {
        this.limiter = limiter;
        this.address = address;
        this.attachment = attachment;
    }

    /** What the guard attached (an identity), or {@code null}. */
    public Object attachment() {
        return attachment;
    }

    /** The address the connection slot was taken for (the limiter's key), possibly {@code null}. */
    String address() {
        return address;
    }

    /**
     * Hands the connection slot over to the session opened with this pass, which gives it back when it
     * ends (so the session need not keep this pass): from now on {@link #release} does nothing. False if
     * the slot was given back already.
     */
    boolean handOver() {
        return RELEASED.compareAndSet(this, false, true);
    }

    /** Gives the connection slot back; idempotent. */
    public void release() {
        if (RELEASED.compareAndSet(this, false, true)) {
            limiter.release(address);
        }
    }
}
