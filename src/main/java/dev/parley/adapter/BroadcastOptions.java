package dev.parley.adapter;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast reaches and how, as Socket.IO's {@code BroadcastOptions}: the sockets in any of
 * {@code rooms} (every socket of the namespace when empty), minus those in any of {@code except},
 * sent with {@code flags}. Immutable; {@link #to}, {@link #except} and {@link #with} return a copy
 * with one part changed, so a chain of calls never changes an options value another holds.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    private static final BroadcastOptions EVERYONE = new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
        Objects.requireNonNull(flags, "flags");
    }

    /** Every socket of the namespace, no flags. */
    public static BroadcastOptions everyone() {
        return EVERYONE;
    }

    /** These options with more rooms to reach. */
    public BroadcastOptions to(String... more) {
        return new BroadcastOptions(union(rooms, more), except, flags);
    }

    /** These options with more rooms whose sockets are left out. */
    public BroadcastOptions except(String... more) {
        return new BroadcastOptions(rooms, union(except, more), flags);
    }

    /** These options with other flags. */
    public BroadcastOptions with(BroadcastFlags newFlags) {
        return new BroadcastOptions(rooms, except, newFlags);
    }

    private static Set<String> union(Set<String> a, String[] b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(Arrays.asList(b));
        return out;
    }
}
