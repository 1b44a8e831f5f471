package dev.parley.jakarta;

import dev.parley.server.ParleyServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Parley's liveness ({@link ParleyServer#liveness()}) as a MicroProfile Health check
 * (Payara: {@code /health/live}); skipped by CDI where MicroProfile Health is missing, as
 * {@link ParleyReadinessCheck}.
 */
@Liveness
@ApplicationScoped
public class ParleyLivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return MicroProfileHealth.of(ParleyLivenessCheck.class.getClassLoader(), ParleyServer::liveness);
    }
}
