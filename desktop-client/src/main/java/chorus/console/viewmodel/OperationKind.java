package chorus.console.viewmodel;

/** The operations the Operations view offers. */
public enum OperationKind {
    GET("GET"), PUT("PUT"), DELETE("DELETE"), CONDITIONAL_PUT("Conditional PUT"), BATCH("Batch");

    private final String label;

    OperationKind(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
