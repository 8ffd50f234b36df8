package org.kmsconf.kms;

import org.kmsconf.kms.store.KmsStore;

/** Test helper: opens the store a whole KMS configuration names, as the server does. */
public final class TestStores {
    private TestStores() {
    }

    public static KmsStore open(KmsConfig config, boolean createMasterKey) {
        return KmsStore.open(config.store(), config.kmsIdentity(), createMasterKey);
    }
}
