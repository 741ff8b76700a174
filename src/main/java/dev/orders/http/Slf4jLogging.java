package dev.orders.http;

import io.helidon.logging.common.spi.LoggingProvider;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Helidon's logging set-up, found through the service loader: Helidon logs through java.util.logging, and this
 * sends it to SLF4J (Logback), where everything else goes, in the same format.
 */
public final class Slf4jLogging implements LoggingProvider {
    @Override
    public void initialization() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    @Override
    public void runTime() {
        initialization();
    }
}
