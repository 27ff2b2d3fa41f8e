package io.freehold.node.liquidation;

/** No endpoint could answer a call of the liquidator; the message lists what each said. */
public class LiquidatorRpcException extends RuntimeException {

    public LiquidatorRpcException(String message) {
        super(message);
    }

    public LiquidatorRpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
