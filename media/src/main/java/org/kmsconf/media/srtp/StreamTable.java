package org.kmsconf.media.srtp;

/** SSRC → {@link StreamState}, open addressing on int keys (no boxing on the packet path). */
final class StreamTable {
    private StreamState[] slots = new StreamState[16];
    private int size;

    StreamState get(int ssrc) {
        StreamState[] s = slots;
        int mask = s.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            StreamState e = s[i];
            if (e == null || e.ssrc == ssrc) {
                return e;
            }
        }
    }

    void put(StreamState st) {
        if ((size + 1) * 2 > slots.length) {
            StreamState[] old = slots;
            slots = new StreamState[old.length * 2];
            size = 0;
            for (StreamState e : old) {
                if (e != null) {
                    insert(e);
                }
            }
        }
        insert(st);
    }

    private void insert(StreamState st) {
        int mask = slots.length - 1;
        for (int i = mix(st.ssrc) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == null) {
                slots[i] = st;
                size++;
                return;
            }
            if (slots[i].ssrc == st.ssrc) {
                slots[i] = st;
                return;
            }
        }
    }

    void remove(int ssrc) {
        StreamState[] old = slots;
        slots = new StreamState[old.length];
        size = 0;
        for (StreamState e : old) {
            if (e != null && e.ssrc != ssrc) {
                insert(e);
            }
        }
    }

    int size() {
        return size;
    }

    void forEach(java.util.function.Consumer<StreamState> action) {
        for (StreamState e : slots) {
            if (e != null) {
                action.accept(e);
            }
        }
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
