package org.kmsconf.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.crypto.Hex.h;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-thread Mac/Cipher instances: many threads deriving, encrypting and MACing at once, each with its own keys,
 * still produce the vectors of docs/test-vectors.md §D.1-§D.3 (no state leaks from one call or thread to another).
 */
class CryptoConcurrencyTest {

    @Test
    void parallelCallsReproduceTheVectors() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    for (int i = 0; i < 300; i++) {
                        MessageKeys k = KeyDerivation.rfc3830MessageKeys(PrfFunc.MIKEY_1,
                                KeyMaterial.of(Hex.seq(0xa0, 16)), 0x12345678, Hex.seq(0x10, 16), EncrAlg.AES_CM_128,
                                MacAlg.HMAC_SHA_1_160);
                        String ct = h(KemacCrypto.encrypt(k, 0x12345678, 0xe9a1b2c300000000L, KemacCryptoTest.KEY_DATA));
                        String tek = h(KeyDerivation.rfc3830SrtpKeys(PrfFunc.MIKEY_1, KeyMaterial.of(Hex.seq(0, 16)), 1,
                                0x12345678, Hex.seq(0x10, 16), SrtpPolicy.AES_CM_128_HMAC_SHA1_80).masterKey());
                        // an unrelated key in between, on the same thread
                        Macs.compute(MacAlg.HMAC_SHA_256_256, KeyMaterial.of(Hex.seq(i, 32)), new byte[i]);
                        String mac = h(Macs.compute(MacAlg.HMAC_SHA_1_160, k.authKey(), MacsTest.I_MESSAGE, 0, 158));
                        if (!ct.equals("eb20a9f9f053dac33f3f21c0c82514203f764dab")
                                || !tek.equals("838f7dea3e6c733fb7755a665bfab763")
                                || !mac.equals("695c1854695aa753b684d81c7ff388a149dff24a")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
