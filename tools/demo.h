/* tsrec demo: the whole Forecast and Personalize walkthrough on the
 * bundled sample data (tools/demo-data), in-process, no workspace. */
#ifndef TSREC_CLI_DEMO_H
#define TSREC_CLI_DEMO_H

/* argv[0] is "demo"; options --output-dir DIR, --threads N, --data-dir DIR.
 * Returns the process exit code (0 ok, 1 a step failed, 2 usage, 3 I/O). */
int cli_demo_main(int argc, char **argv);

#endif /* TSREC_CLI_DEMO_H */
