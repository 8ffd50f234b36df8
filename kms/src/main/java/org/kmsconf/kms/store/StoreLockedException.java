package org.kmsconf.kms.store;

/**
 * The embedded store is held by a running KMS (H2 locks its file; it has no network listener to share it). Admin
 * commands then go through that KMS's admin socket.
 */
public final class StoreLockedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreLockedException(StoreConfig config) {
        super("the store in " + config.dataDir() + " is in use by a running KMS: administer it through that KMS's"
                + " admin socket (--admin-socket, default " + config.dataDir().resolve("admin.sock") + "), or stop the KMS", null);
    }
}
