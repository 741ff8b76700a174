package dev.orders.ingest;

import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.order.ReadResult;
import dev.orders.order.Rejection;
import dev.orders.order.RejectionCode;
import dev.orders.store.Decision;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Decides, from its bytes alone, whether a message is an order to store or a rejection to record. */
public final class MessageJudge {
    /** How much of an oversized payload is kept for the operator to look at. */
    static final int OVERSIZED_PREFIX_BYTES = 4096;
    private static final int MAX_REASON_LENGTH = 300;

    private final int maxPayloadBytes;
    private final OrderReader reader;
    private final OrderWriter writer;
    private final IngestMetrics metrics;

    public MessageJudge(int maxPayloadBytes, OrderReader reader, OrderWriter writer, IngestMetrics metrics) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
    }

    public Decision judge(ReceivedMessage message) {
        byte[] payload = message.payload();
        if (payload.length > maxPayloadBytes) {
            Rejection rejection = new Rejection(RejectionCode.TOO_LARGE,
                    "payload is " + payload.length + " bytes, over the limit of " + maxPayloadBytes);
            return new Decision.Reject(message.position(), rejection, null,
                    Arrays.copyOf(payload, Math.min(payload.length, OVERSIZED_PREFIX_BYTES)), payload.length);
        }
        return switch (reader.read(payload)) {
            case ReadResult.Valid valid -> {
                metrics.ignoredFields(valid.unknownFields());
                byte[] json = writer.write(valid.order());
                yield new Decision.Accept(message.position(), valid.order(), json, sha256(json));
            }
            case ReadResult.Invalid invalid -> new Decision.Reject(message.position(), shortened(invalid.rejection()),
                    invalid.orderUid(), payload, payload.length);
        };
    }

    private static Rejection shortened(Rejection rejection) {
        String message = rejection.message();
        return message.length() <= MAX_REASON_LENGTH ? rejection
                : new Rejection(rejection.code(), message.substring(0, MAX_REASON_LENGTH) + "…");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
