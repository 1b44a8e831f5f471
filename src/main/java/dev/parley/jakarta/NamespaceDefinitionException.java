package dev.parley.jakarta;

/**
 * An annotated namespace class that cannot work as written (a wrong signature, a missing name, a
 * parameter type no event argument can be converted to): raised when the class is registered, at
 * deployment, with the class and method named, and for a parameter its position, name (when
 * compiled with {@code -parameters}), type, the reason and a hint.
 */
public class NamespaceDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NamespaceDefinitionException(String message) {
        super(message);
    }
}
