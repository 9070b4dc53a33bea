package chorus.bench.harness;

import java.util.Properties;

/** The YCSB core workloads the harness runs, with the operation mix that defines each. */
public enum Workload {
    A("A", "50% read, 50% update", 0.5, 0.5),
    B("B", "95% read, 5% update", 0.95, 0.05),
    C("C", "100% read", 1.0, 0.0),
    WRITE_ONLY("write-only", "100% update", 0.0, 1.0);

    private final String label;
    private final String mix;
    private final double read;
    private final double update;

    Workload(String label, String mix, double read, double update) {
        this.label = label;
        this.mix = mix;
        this.read = read;
        this.update = update;
    }

    public String label() {
        return label;
    }

    public String mix() {
        return mix;
    }

    /** {@code base} plus this workload's proportions. */
    public Properties properties(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty("readproportion", String.valueOf(read));
        p.setProperty("updateproportion", String.valueOf(update));
        p.setProperty("scanproportion", "0");
        p.setProperty("insertproportion", "0");
        p.setProperty("readmodifywriteproportion", "0");
        return p;
    }
}
