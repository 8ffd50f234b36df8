package org.kmsconf.kms.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FocusRuleTest {
    private static final String FACTORY = "sip:factory.conference1@operator";

    @Test
    void defaultRuleMapsFactoryToNumberedFocusOfTheSameSuffixAndHost() {
        FocusRule r = FocusRule.of(FocusRule.DEFAULT);
        assertThat(r.allows(FACTORY, "sip:focus7.conference1@operator")).isTrue();
        assertThat(r.allows(FACTORY, "sip:focus123456.conference1@operator")).isTrue();
        assertThat(r.example(FACTORY, 7)).isEqualTo("sip:focus7.conference1@operator");
    }

    @Test
    void defaultRuleRefusesOtherSuffixesHostsSchemesAndNonNumbers() {
        FocusRule r = FocusRule.of(FocusRule.DEFAULT);
        assertThat(r.allows(FACTORY, "sip:focus7.conference2@operator")).isFalse();
        assertThat(r.allows(FACTORY, "sip:focus7.conference1@evil")).isFalse();
        assertThat(r.allows(FACTORY, "sips:focus7.conference1@operator")).isFalse();
        assertThat(r.allows(FACTORY, "sip:focusX.conference1@operator")).isFalse();
        assertThat(r.allows(FACTORY, "sip:focus.conference1@operator")).isFalse();
        assertThat(r.allows(FACTORY, "sip:alice@operator")).isFalse();
        assertThat(r.allows(FACTORY, FACTORY)).isFalse();
        // regex metacharacters in the factory are literal
        assertThat(r.allows("sip:factory.c.1@op", "sip:focus1.cX1@op")).isFalse();
        assertThat(r.allows("sip:factory.c.1@op", "sip:focus1.c.1@op")).isTrue();
    }

    @Test
    void wholeUriTemplatesAndIdPlaceholder() {
        FocusRule r = FocusRule.of("sip:conf-{ID}@{host}");
        assertThat(r.allows(FACTORY, "sip:conf-abc-42@operator")).isTrue();
        assertThat(r.allows(FACTORY, "sip:conf-abc@other")).isFalse();
        assertThat(r.allows(FACTORY, "sip:conf-a_b@operator")).isFalse();
    }

    @Test
    void rulesWithoutAPerConferencePartOrWithUnknownPlaceholdersAreRefused() {
        assertThatThrownBy(() -> FocusRule.of("focus.{suffix}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{N} or {ID}");
        assertThatThrownBy(() -> FocusRule.of("focus{X}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown placeholder");
    }

    @Test
    void policyGlobMatchesWholeValues() {
        PolicyRule rule = new PolicyRule(1, PolicyRule.Action.DENY, "sip:*@partner.example", "sip:factory.*");
        assertThat(rule.matches("sip:eve@partner.example", "sip:factory.conference1@operator")).isTrue();
        assertThat(rule.matches("sip:eve@partner.example.org", "sip:factory.conference1@operator")).isFalse();
        assertThat(rule.matches("sip:eve@partner.example", "sip:alice@operator")).isFalse();
        assertThat(PolicyRule.glob("*", "anything")).isTrue();
        assertThat(PolicyRule.glob("sip:a.b", "sip:aXb")).isFalse();
    }
}
