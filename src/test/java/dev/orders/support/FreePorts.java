package dev.orders.support;

import dev.orders.local.LoopbackPorts;

public final class FreePorts {
    private FreePorts() {
    }

    public static int next() {
        return LoopbackPorts.free();
    }
}
