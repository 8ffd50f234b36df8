package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.kmsclient.KmsClient;

/**
 * A flood of requests naming key ids or identities that do not exist costs no database query and no cache entry
 * each: the look-ups before authentication come from the in-memory identity index, re-read at most once per TTL.
 */
class PreAuthenticationLookupTest {
    @Test
    void unknownKeyIdsAndIdentitiesCostNoQueryAndNoCacheEntryEach() {
        try (KmsServer kms = KmsServer.start(KmsConfig.inMemory().cacheTtl(Duration.ofHours(1)).build())) {
            kms.admin().addUser(NewUser.of("bob", "sip:bob@operator"));
            KmsClient c = KmsClient.builder().address(kms.uri()).build();
            SecureRandom r = new SecureRandom();
            long loadsBefore = kms.store().identities().loads();
            int cacheBefore = kms.store().cache().size();
            for (int i = 0; i < 300; i++) {
                byte[] id = new byte[8];
                byte[] psk = new byte[16];
                r.nextBytes(id);
                r.nextBytes(psk);
                String uri = "sip:u" + i + "@nowhere";
                Ua stranger = new Ua(new ProvisionedKey("x", List.of(uri), id, psk), uri);
                byte[] answer = c.exchange(stranger.ticketRequest(kms.kmsIdentity(), "sip:bob@operator").message());
                assertThat(KmsClient.errorCodeOf(answer)).contains(ErrorCode.AUTH_FAILURE);
            }
            assertThat(kms.store().identities().loads() - loadsBefore).isLessThanOrEqualTo(1);
            assertThat(kms.store().cache().size() - cacheBefore).isLessThanOrEqualTo(2);
            assertThat(kms.metrics().refusals("UNKNOWN_KEY", false)).isEqualTo(300);
        }
    }
}
