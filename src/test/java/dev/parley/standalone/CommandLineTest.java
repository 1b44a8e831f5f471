package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.ParleyOptions;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void flagsAreTheSettingNames() {
        CommandLine cli = new CommandLine(new String[] {"--host", "0.0.0.0", "--port=3100", "--ping-interval", "300",
                "--no-serve-client", "--conformance"});
        ParleyOptions o = cli.options(ParleyOptions.defaults());
        assertThat(cli.host()).isEqualTo("0.0.0.0");
        assertThat(cli.port()).isEqualTo(3100);
        assertThat(cli.has("--conformance")).isTrue();
        assertThat(o.engine().pingIntervalMillis()).isEqualTo(300);
        assertThat(o.serveClient()).isFalse();
    }

    @Test
    void conformanceDefaultsGiveWayToFlags() {
        ParleyOptions o = new CommandLine(new String[] {"--ping-interval", "25000", "--ping-timeout", "20000"})
                .options(ConformanceApp.defaults());
        assertThat(o.engine().pingIntervalMillis()).isEqualTo(25000);
        assertThat(o.engine().pingTimeoutMillis()).isEqualTo(20000);
        assertThat(o.connectTimeoutMillis()).isEqualTo(1000);
        assertThat(o.engine().allowedOrigins()).containsExactly("*");
    }

    @Test
    void recoveryIsOffInTheConformanceAndBenchModesUnlessAFlagTurnsItOn() {
        assertThat(new CommandLine(new String[] {"--conformance"}).options(ConformanceApp.defaults()).recoveryEnabled())
                .isFalse();
        ParleyOptions o = new CommandLine(new String[] {"--conformance", "--recovery-max-disconnection", "30000",
                "--recovery-skip-middlewares", "false", "--recovery-max-packets", "100"}).options(ConformanceApp.defaults());
        assertThat(o.recoveryMaxDisconnectionMillis()).isEqualTo(30_000);
        assertThat(o.recoverySkipMiddlewares()).isFalse();
        assertThat(o.recoveryMaxPackets()).isEqualTo(100);
        assertThat(o.connectTimeoutMillis()).isEqualTo(1000); // the fixture's own defaults stay
        assertThat(new CommandLine(new String[] {"--bench", "--recovery-max-disconnection", "5000"})
                .options(ParleyOptions.defaults()).recoveryMaxDisconnectionMillis()).isEqualTo(5000);
    }

    @Test
    void refusesUnknownFlagsAndBadValues() {
        assertThatThrownBy(() -> new CommandLine(new String[] {"--pingInterval", "1"}))
                .hasMessage("unknown option --pingInterval");
        assertThatThrownBy(() -> new CommandLine(new String[] {"--port"})).hasMessage("--port needs a value");
        assertThatThrownBy(() -> new CommandLine(new String[] {"--port", "99999"}).port())
                .hasMessageContaining("--port must be a number from 0 to 65535");
        assertThatThrownBy(() -> new CommandLine(new String[] {"--ping-timeout", "x"}).options(ParleyOptions.defaults()))
                .hasMessage("flag --ping-timeout='x': must be a whole number");
    }
}
