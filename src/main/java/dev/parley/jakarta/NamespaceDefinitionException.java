package dev.parley.jakarta;

/**
 * An annotated namespace class that cannot work as written (a wrong signature, a missing name):
 * raised when the class is registered, at deployment, with the class and method named.
 */
public class NamespaceDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NamespaceDefinitionException(String message) {
        super(message);
    }
}
