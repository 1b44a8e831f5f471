package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bcrypt check against hashes as the reference's users make them (bcryptjs) and other tools. */
class AdminAuthenticationTest {

    /** bcryptjs 2.4.3's {@code hashSync("changeit", 10)}. */
    private static final String BCRYPTJS_10 = "$2a$10$SzCHoxT2DsvZA2lk6FCY6eYciRZaCidK.huVnRxCsDL38ykzoAt/u";

    @Test
    void bcryptjsHashesMatchTheirPasswordOnly() {
        assertThat(AdminAuthentication.matches("changeit", BCRYPTJS_10)).isTrue();
        assertThat(AdminAuthentication.matches("changeit", AdminUiClientTest.CHANGEIT)).isTrue();
        assertThat(AdminAuthentication.matches("changeIt", BCRYPTJS_10)).isFalse();
        assertThat(AdminAuthentication.matches("", BCRYPTJS_10)).isFalse();
    }

    @Test
    void theTwoBAndTwoYPrefixesOfOtherToolsAreAccepted() {
        // The same hash under the other prefixes: the algorithm is the same for passwords under 72 bytes.
        assertThat(AdminAuthentication.matches("changeit", BCRYPTJS_10.replace("$2a$", "$2b$"))).isTrue();
        assertThat(AdminAuthentication.matches("changeit", BCRYPTJS_10.replace("$2a$", "$2y$"))).isTrue();
    }
}
