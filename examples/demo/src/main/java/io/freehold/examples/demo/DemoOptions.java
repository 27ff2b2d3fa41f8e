package io.freehold.examples.demo;

/**
 * How the demo runs: how many borrowers, and whether to leave the chain and the node up at the end.
 *
 * @param borrowers borrowers seeded across the three properties (at least 3)
 * @param keepRunning leave anvil (port 8545 if free) and the node (gRPC 50051 if free) running until Ctrl-C
 */
record DemoOptions(int borrowers, boolean keepRunning) {

    static final int DEFAULT_BORROWERS = 120;
    static final int QUICK_BORROWERS = 30;

    static final String USAGE = """
            usage: ./demo.sh [--quick] [--borrowers N] [--keep-running]
              --quick          30 borrowers instead of 120 (what CI runs)
              --borrowers N    seed N borrowers (3 to 1000)
              --keep-running   leave the chain and the node up for exploring; Ctrl-C stops both""";

    DemoOptions {
        if (borrowers < 3 || borrowers > 1000) {
            throw new IllegalArgumentException("--borrowers must be 3 to 1000, was " + borrowers);
        }
    }

    /** Parses the command line; an IllegalArgumentException's message says what is wrong. */
    static DemoOptions parse(String... args) {
        int borrowers = DEFAULT_BORROWERS;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> borrowers = QUICK_BORROWERS;
                case "--keep-running" -> keep = true;
                case "--borrowers" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--borrowers needs a number");
                    }
                    try {
                        borrowers = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--borrowers needs a number, got " + args[i]);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new DemoOptions(borrowers, keep);
    }
}
