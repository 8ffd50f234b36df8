package org.kmsconf.kms.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The cache checks the store's directory version once per TTL, and only a changed version drops its entries. */
class DirectoryCacheTest {
    static final long TTL_MILLIS = 50;

    final AtomicLong version = new AtomicLong(7);
    final AtomicBoolean unreachable = new AtomicBoolean();
    final DirectoryCache cache = new DirectoryCache(TTL_MILLIS, () -> {
        if (unreachable.get()) {
            throw new StoreException("database unreachable", null);
        }
        return version.get();
    });
    final AtomicInteger loads = new AtomicInteger();
    final Supplier<String> load = () -> "value " + loads.incrementAndGet();

    @Test
    void entriesOutliveTheTtlWhileTheVersionStaysAndAChangedVersionDropsThem() throws Exception {
        assertThat(cache.get("k", load)).isEqualTo("value 1");
        Thread.sleep(3 * TTL_MILLIS);
        assertThat(cache.get("k", load)).isEqualTo("value 1");
        assertThat(cache.versionReads()).isEqualTo(2);

        version.incrementAndGet(); // another process changed the directory
        Thread.sleep(2 * TTL_MILLIS);
        assertThat(cache.get("k", load)).isEqualTo("value 2");
        assertThat(cache.get("k", load)).isEqualTo("value 2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aVersionThatCannotBeReadLetsNothingBeServedFromTheCache() throws Exception {
        assertThat(cache.get("k", load)).isEqualTo("value 1");
        Thread.sleep(2 * TTL_MILLIS);
        unreachable.set(true);
        assertThatThrownBy(() -> cache.get("k", load)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> cache.get("k", load)).isInstanceOf(StoreException.class);
        unreachable.set(false);
        // the version did not move meanwhile: the entry was right all along
        assertThat(cache.get("k", load)).isEqualTo("value 1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void anInvalidationThroughThisProcessDropsEntriesAtOnce() {
        assertThat(cache.get("k", load)).isEqualTo("value 1");
        cache.invalidateAll();
        assertThat(cache.get("k", load)).isEqualTo("value 2");
    }
}
