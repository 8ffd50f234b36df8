package org.kmsconf.app.config;

import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.keys.KeyAgent;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What a SIP party needs to reach the KMS with its own credentials, and the SIP options of {@link SipOptions}. */
public final class PartyOptions {
    @Mixin
    public SipOptions sip = new SipOptions();

    @Option(names = "--kms-identity", paramLabel = "URI", defaultValue = "sip:kms.operator",
            description = "The KMS's identity (IDRkms) (default ${DEFAULT-VALUE}).")
    public String kmsIdentity;

    @Option(names = "--key-id", paramLabel = "HEX",
            description = "Key id of this party's PSK (IDRpsk), as printed by 'kmsconf user add'.")
    public String keyId;

    public byte[] keyIdBytes() {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("--key-id HEX is required (the key id 'kmsconf user add' printed)");
        }
        try {
            return HexFormat.of().parseHex(keyId.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key-id must be hex digits");
        }
    }

    public KmsClient kmsClient() {
        return KeyAgents.client(sip.kmsUrls().stream().map(URI::create).toList());
    }

    /** The party's key agent; the PSK read from the file is zeroed here once copied into the agent. */
    public KeyAgent keyAgent(KmsClient client) {
        byte[] psk = sip.psk();
        try {
            return KeyAgents.mikey(client, kmsIdentity, keyIdBytes(), psk);
        } finally {
            Arrays.fill(psk, (byte) 0);
        }
    }

    public Directory directory() {
        return sip.directory == null ? new Directory() : DirectoryFile.read(sip.directory);
    }

    public List<String> kmsUrls() {
        return sip.kmsUrls();
    }
}
