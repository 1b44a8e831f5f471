package dev.parley.server;

/** The continuation handed to middleware: exactly one call of either method counts. */
public interface Next {

    /** Continues with the next middleware, or the handler. */
    void proceed();

    /** Stops here with an error. */
    void fail(Exception error);
}
