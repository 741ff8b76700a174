package dev.orders.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports that are free now, for the servers this program starts itself (and for the tests). */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    public static int free() {
        return free(1)[0];
    }

    /**
     * {@code count} different free ports. Each is held until all are chosen: asked for one after another, the kernel
     * gave the local Kafka broker the same port for its two listeners, and it refused to start.
     */
    public static int[] free(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // A socket that was never accepted on has nothing to flush; the port is free either way.
                }
            }
        }
    }
}
