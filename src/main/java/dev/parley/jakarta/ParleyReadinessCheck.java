package dev.parley.jakarta;

import dev.parley.server.ParleyServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Parley's readiness ({@link ParleyServer#readiness()}) as a MicroProfile Health check, found by a
 * container that has MicroProfile Health (Payara: {@code /health/ready}). On a container without it
 * CDI cannot load this class's interface and skips the bean: nothing else refers to it.
 */
@Readiness
@ApplicationScoped
public class ParleyReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return MicroProfileHealth.of(ParleyReadinessCheck.class.getClassLoader(), ParleyServer::readiness);
    }
}
