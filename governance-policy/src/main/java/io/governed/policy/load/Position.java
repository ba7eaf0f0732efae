package io.governed.policy.load;

/** Where something stands in a policy source. */
record Position(String source, int line, int column) {

    /** The source as a whole. */
    static Position of(String source) {
        return new Position(source, 0, 0);
    }

    PolicyProblem problem(String message) {
        return new PolicyProblem(source, line, column, message);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
