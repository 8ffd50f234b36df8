package org.kmsconf.kms.store;

import org.kmsconf.kms.TestStores;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.Postgres;

/** Nodes starting at the same moment on an empty database agree on one first ticket protection key. */
class FirstStartTest {

    @Test
    void concurrentFirstStartsOnH2CreateOneTicketKey() throws Exception {
        String url = "jdbc:h2:mem:first-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        startTogether(KmsConfig.inMemory().jdbcUrl(url).build());
    }

    @Test
    @Tag("external")
    void concurrentFirstStartsOnPostgresCreateOneTicketKey() throws Exception {
        String schema = Postgres.newSchema();
        try {
            startTogether(Postgres.config(schema, "7e".repeat(32)).build());
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    static void startTogether(KmsConfig cfg) throws Exception {
        int n = 4;
        List<KmsStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int i = 0; i < n; i++) {
                stores.add(TestStores.open(cfg.toBuilder().nodeName("node-" + i).build(), false));
            }
            // back to an empty store, then every node's first-start step at the same moment
            try (var c = stores.get(0).database().connection(); var st = c.createStatement()) {
                st.execute("DELETE FROM ticket_key");
                st.execute("DELETE FROM kms_setting WHERE setting_name = 'tpk.first'");
            }
            CyclicBarrier barrier = new CyclicBarrier(n);
            List<Future<?>> done = new ArrayList<>();
            for (KmsStore s : stores) {
                Callable<Void> first = () -> {
                    barrier.await();
                    s.ticketKeys().ensureActive();
                    return null;
                };
                done.add(pool.submit(first));
            }
            for (Future<?> f : done) {
                f.get();
            }
            String first = stores.get(0).ticketKeys().activeKeyIdHex().orElseThrow();
            for (KmsStore s : stores) {
                assertThat(s.ticketKeys().activeKeyIdHex()).contains(first);
                assertThat(s.ticketKeys().all()).hasSize(1);
            }
        } finally {
            stores.forEach(KmsStore::close);
            pool.shutdownNow();
        }
    }
}
