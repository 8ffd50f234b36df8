package org.kmsconf.app.config;

import java.net.URI;
import java.util.List;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.keys.MikeyKeyAgent;

/**
 * Builds a party's MIKEY-TICKET key agent (the real one: mikey exchanges over the KMS's HTTP interface) from its
 * KMS credentials. The PSK bytes are copied into an opaque {@link KeyMaterial}; the caller zeroes its own copy.
 */
public final class KeyAgents {
    private KeyAgents() { }

    /** A KMS client for the given {@code /kms} URLs (or base URLs), tried in order. */
    public static KmsClient client(List<URI> kmsUrls) {
        return KmsClient.builder().addresses(kmsUrls).build();
    }

    public static KeyAgent mikey(KmsClient kms, String kmsIdentity, byte[] keyId, byte[] psk) {
        return new MikeyKeyAgent(kms, kmsIdentity, keyId, KeyMaterial.of(psk), AlgorithmSet.SET_128,
                PartyContext.system());
    }
}
