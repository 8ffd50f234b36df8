package org.kmsconf.mikey.replay;

import java.util.Arrays;

/**
 * The entries of one replay partition: 32-byte digests, each with the time its message was stamped, held in primitive
 * arrays only. A KMS keeps every accepted message here for the whole skew window (minutes, hundreds of thousands of
 * entries); as objects (a key, an entry, a map node and a queue slot per message) they were copied from one young
 * collection to the next and made the collector scan the maps' tables on every pause. Arrays of {@code long} hold no
 * references, so the collector neither copies nor scans them per entry.
 *
 * <ul>
 * <li>a hash set with linear probing: slot {@code i} holds the digest's four words at {@code words[4i..4i+3]};
 *     removal shifts the following entries back (no tombstones), so a look-up stops at the first empty slot;</li>
 * <li>a binary min-heap of (time, digest) in two parallel arrays, so {@link #removeOlderThan} drops the oldest
 *     entries one by one in time order.</li>
 * </ul>
 * Not thread-safe (the caller holds the partition's lock). The all-zero digest cannot be stored (it marks an empty
 * slot); SHA-256 yields it with probability 2<sup>-256</sup>, and {@link #add} refuses it rather than lose it.
 */
final class DigestSet {
    private static final int MIN_SLOTS = 16;

    private long[] words = new long[4 * MIN_SLOTS];
    private int mask = MIN_SLOTS - 1;
    private int size;

    private long[] heapTime = new long[MIN_SLOTS];
    private long[] heapWords = new long[4 * MIN_SLOTS];

    int size() {
        return size;
    }

    /** Slots of the table (tests: it grows with the entries and shrinks again). */
    int slots() {
        return mask + 1;
    }

    boolean contains(long a, long b, long c, long d) {
        return find(a, b, c, d) >= 0;
    }

    /**
     * Adds a digest stamped at {@code time} (any monotone encoding, e.g. epoch nanoseconds).
     *
     * @return false if it was there already (nothing changes)
     * @throws IllegalArgumentException for the all-zero digest
     */
    boolean add(long a, long b, long c, long d, long time) {
        if ((a | b | c | d) == 0) {
            throw new IllegalArgumentException("the all-zero digest cannot be stored");
        }
        if (find(a, b, c, d) >= 0) {
            return false;
        }
        if (2 * (size + 1) > mask + 1) {
            rehash(2 * (mask + 1));
        }
        put(a, b, c, d);
        heapPush(time, a, b, c, d);
        size++;
        return true;
    }

    /** Time of the oldest entry; only when {@link #size()} is not 0. */
    long oldestTime() {
        return heapTime[0];
    }

    /**
     * Removes every entry whose time is before {@code time}, oldest first; the arrays shrink again once at most an
     * eighth of the table is in use (a burst does not keep its memory for the life of the process).
     *
     * @return how many were removed
     */
    int removeOlderThan(long time) {
        int removed = 0;
        while (size > 0 && heapTime[0] < time) {
            int at = find(heapWords[0], heapWords[1], heapWords[2], heapWords[3]);
            removeSlot(at);
            heapPop();
            size--;
            removed++;
        }
        int slots = mask + 1;
        if (removed > 0 && slots > MIN_SLOTS && 8 * size <= slots) {
            rehash(Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, 4 * size - 1)) << 1));
        }
        return removed;
    }

    private int slotOf(long a) {
        // the words are SHA-256 output: any 32 bits of them are uniformly spread
        return (int) (a ^ (a >>> 32)) & mask;
    }

    private int find(long a, long b, long c, long d) {
        for (int i = slotOf(a); ; i = (i + 1) & mask) {
            int w = 4 * i;
            long x = words[w];
            long y = words[w + 1];
            long z = words[w + 2];
            long v = words[w + 3];
            if ((x | y | z | v) == 0) {
                return -1;
            }
            if (x == a && y == b && z == c && v == d) {
                return i;
            }
        }
    }

    private void put(long a, long b, long c, long d) {
        int i = slotOf(a);
        while (!emptySlot(i)) {
            i = (i + 1) & mask;
        }
        int w = 4 * i;
        words[w] = a;
        words[w + 1] = b;
        words[w + 2] = c;
        words[w + 3] = d;
    }

    private boolean emptySlot(int i) {
        int w = 4 * i;
        return (words[w] | words[w + 1] | words[w + 2] | words[w + 3]) == 0;
    }

    /** Empties slot {@code i} and moves back every following entry that its own slot no longer reaches. */
    private void removeSlot(int i) {
        int hole = i;
        for (int j = (i + 1) & mask; !emptySlot(j); j = (j + 1) & mask) {
            int home = slotOf(words[4 * j]);
            // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean staysPut = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!staysPut) {
                System.arraycopy(words, 4 * j, words, 4 * hole, 4);
                hole = j;
            }
        }
        Arrays.fill(words, 4 * hole, 4 * hole + 4, 0L);
    }

    private void rehash(int slots) {
        long[] old = words;
        words = new long[4 * slots];
        mask = slots - 1;
        for (int w = 0; w < old.length; w += 4) {
            if ((old[w] | old[w + 1] | old[w + 2] | old[w + 3]) != 0) {
                put(old[w], old[w + 1], old[w + 2], old[w + 3]);
            }
        }
        // the heap holds at most slots / 2 entries (the table is never more than half full)
        int heapLength = Math.max(MIN_SLOTS, slots / 2);
        if (heapTime.length != heapLength) {
            heapTime = Arrays.copyOf(heapTime, heapLength);
            heapWords = Arrays.copyOf(heapWords, 4 * heapLength);
        }
    }

    private void heapPush(long time, long a, long b, long c, long d) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapTime[parent] <= time) {
                break;
            }
            heapMove(parent, i);
            i = parent;
        }
        heapSet(i, time, a, b, c, d);
    }

    /** Removes the root; {@code size} still counts it. */
    private void heapPop() {
        int last = size - 1;
        long time = heapTime[last];
        int w = 4 * last;
        long a = heapWords[w];
        long b = heapWords[w + 1];
        long c = heapWords[w + 2];
        long d = heapWords[w + 3];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && heapTime[child + 1] < heapTime[child]) {
                child++;
            }
            if (heapTime[child] >= time) {
                break;
            }
            heapMove(child, i);
            i = child;
        }
        heapSet(i, time, a, b, c, d);
        heapTime[last] = 0;
        Arrays.fill(heapWords, w, w + 4, 0L);
    }

    private void heapMove(int from, int to) {
        heapTime[to] = heapTime[from];
        System.arraycopy(heapWords, 4 * from, heapWords, 4 * to, 4);
    }

    private void heapSet(int i, long time, long a, long b, long c, long d) {
        heapTime[i] = time;
        int w = 4 * i;
        heapWords[w] = a;
        heapWords[w + 1] = b;
        heapWords[w + 2] = c;
        heapWords[w + 3] = d;
    }
}
