package org.kmsconf.kms.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that hands every thread its own DRBG instance (NIST SP 800-90A, the JDK's "DRBG", each
 * seeded from the system entropy source). The KMS draws keys, RANDs and SPIs on every request from many threads;
 * one shared instance (the JDK default on Linux, NativePRNG, takes one global lock per call) serialises them all.
 */
public final class PerThreadSecureRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final transient ThreadLocal<SecureRandom> local = ThreadLocal.withInitial(PerThreadSecureRandom::newDrbg);

    private static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        local.get().nextBytes(bytes);
    }

    @Override
    public int nextInt() {
        return local.get().nextInt();
    }

    @Override
    public long nextLong() {
        return local.get().nextLong();
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        return local.get().generateSeed(numBytes);
    }

    @Override
    public String getAlgorithm() {
        return "DRBG (per thread)";
    }
}
