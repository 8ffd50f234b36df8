package org.kmsconf.mikey.message;

/** Lets tests in other packages reuse the D.3 message. */
public final class MikeyCodecGoldenTestAccess {
    private MikeyCodecGoldenTestAccess() {
    }

    public static String d3() {
        return MikeyCodecGoldenTest.D3_I_MESSAGE;
    }
}
