package chorus.cli;

import picocli.CommandLine.Option;

/** {@code --value-file FILE} of the commands that write a value (put, cas). */
final class ValueFileOption {

    @Option(names = "--value-file", paramLabel = "FILE", description = "Read the value from FILE (- for standard input): "
            + "its bytes as they are, trailing line break included; valid UTF-8, at most 1 MiB.")
    String file;
}
