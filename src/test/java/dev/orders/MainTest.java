package dev.orders;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void writesWhatHelidonLogsThroughJavaUtilLoggingToTheServiceLog() {
        Main.sendJavaUtilLoggingToSlf4j();
        String helidonLogger = "io.helidon.webserver.LoomServer";
        Logger serviceLog = (Logger) LoggerFactory.getLogger(helidonLogger);
        ListAppender<ILoggingEvent> written = new ListAppender<>();
        written.start();
        serviceLog.addAppender(written);
        try {
            System.getLogger(helidonLogger).log(System.Logger.Level.ERROR, "Failed to start listener");

            assertThat(written.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Failed to start listener");
        } finally {
            serviceLog.detachAppender(written);
        }
    }
}
