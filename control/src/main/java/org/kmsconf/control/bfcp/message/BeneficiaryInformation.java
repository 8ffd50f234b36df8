package org.kmsconf.control.bfcp.message;

import java.util.Optional;

/** BENEFICIARY-INFORMATION (RFC 8855 §5.2.14): Beneficiary ID, [USER-DISPLAY-NAME], [USER-URI]. */
public record BeneficiaryInformation(int beneficiaryId, Optional<String> displayName, Optional<String> uri) {
    public BeneficiaryInformation {
        Texts.u16(beneficiaryId, "Beneficiary ID");
        displayName = Texts.text(displayName, "USER-DISPLAY-NAME");
        uri = Texts.text(uri, "USER-URI");
    }

    public static BeneficiaryInformation of(int beneficiaryId) {
        return new BeneficiaryInformation(beneficiaryId, Optional.empty(), Optional.empty());
    }
}
