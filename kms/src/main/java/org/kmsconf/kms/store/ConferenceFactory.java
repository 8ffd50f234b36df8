package org.kmsconf.kms.store;

import java.util.List;
import org.kmsconf.kms.policy.FocusRule;

/**
 * A conference factory: a public identity of the conference-system user, with the focus URIs it may create
 * (a naming rule, an explicit list, or both).
 */
public record ConferenceFactory(String factoryUri, String userId, FocusRule rule, List<String> focusUris) {

    public ConferenceFactory {
        focusUris = List.copyOf(focusUris);
    }

    /** Whether this factory may create the conference URI {@code focusUri}. */
    public boolean mayCreate(String focusUri) {
        return focusUris.contains(focusUri) || (rule != null && rule.allows(factoryUri, focusUri));
    }
}
