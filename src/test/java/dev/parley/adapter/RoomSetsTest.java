package dev.parley.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The member sets: immutable while small, concurrent once large, the same members either way. */
class RoomSetsTest {

    @Test
    void growsPastSmallAndShrinksToEmpty() {
        Set<String> set = null;
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            set = RoomSets.with(set, "s" + i);
            expected.add("s" + i);
            assertEquals(expected, set);
            if (i < RoomSets.SMALL) {
                Set<String> small = set;
                assertThrows(UnsupportedOperationException.class, () -> small.add("x"));
            }
        }
        assertSame(set, RoomSets.with(set, "s3"));
        for (int i = 0; i < 20; i++) {
            set = RoomSets.without(set, "s" + i);
            expected.remove("s" + i);
            assertEquals(expected, set);
        }
        assertTrue(set.isEmpty());
    }

    @Test
    void aSmallSetIsReplacedNotChanged() {
        Set<String> one = RoomSets.with(null, "a");
        Set<String> two = RoomSets.with(one, "b");
        assertEquals(Set.of("a"), one);
        assertEquals(Set.of("a", "b"), two);
        assertEquals(Set.of("b"), RoomSets.without(two, "a"));
        assertEquals(Set.of("a", "b"), two);
        assertSame(two, RoomSets.without(two, "zz"));
    }
}
