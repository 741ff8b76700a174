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
        // Only into the list: the build's console would show an error that is none.
        serviceLog.setAdditive(false);
        try {
            String message = "a record written through java.util.logging";
            System.getLogger(helidonLogger).log(System.Logger.Level.ERROR, message);

            assertThat(written.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(message);
        } finally {
            serviceLog.setAdditive(true);
            serviceLog.detachAppender(written);
        }
    }
}
