package dev.parley.server;

import java.util.List;
import java.util.Map;

/**
 * A health report of one {@link ParleyServer}, as {@link ParleyServer#liveness()} and
 * {@link ParleyServer#readiness()} decide it: up when every check is. The shape is MicroProfile
 * Health's ({@code status}, {@code checks} each with {@code name}, {@code status}, {@code data}),
 * so the HTTP endpoints and the MicroProfile checks only render it. Immutable.
 *
 * @param checks what was checked, in a stable order
 */
public record Health(List<Check> checks) {

    /**
     * One check.
     *
     * @param name a stable name ({@code parley}, {@code parley-adapter})
     * @param up   whether it passes
     * @param data what it saw, by name (strings and numbers), in a stable order
     */
    public record Check(String name, boolean up, Map<String, Object> data) {
        public Check {
            data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        }
    }

    public Health {
        checks = List.copyOf(checks);
    }

    /** Whether every check passes. */
    public boolean up() {
        return checks.stream().allMatch(Check::up);
    }
}
